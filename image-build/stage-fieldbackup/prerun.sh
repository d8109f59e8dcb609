#!/bin/bash -e
# pi-gen: this stage starts from a copy of the previous stage's root filesystem (stage2: Lite).
if [ ! -d "${ROOTFS_DIR}" ]; then
  copy_previous
fi
