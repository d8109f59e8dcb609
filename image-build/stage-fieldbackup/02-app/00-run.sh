#!/bin/bash -e
# The app (staged by image-build/lib/stage-app.sh: dist/src, package.json, package-lock.json)
# into /opt/fieldbackup; its dependencies are installed next, inside the image.
rm -rf "${ROOTFS_DIR}/opt/fieldbackup"
mkdir -p "${ROOTFS_DIR}/opt"
cp -a files/app "${ROOTFS_DIR}/opt/fieldbackup"
chown -R 0:0 "${ROOTFS_DIR}/opt/fieldbackup"
