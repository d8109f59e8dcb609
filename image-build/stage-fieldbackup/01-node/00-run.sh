#!/bin/bash -e
# Node.js from the official linux-arm64 tarball (downloaded and checked by image-build/build.sh)
# into /usr/local: node, npm and npx in /usr/local/bin, on systemd's default PATH.
tarball="$(find files -maxdepth 1 -name 'node-v*-linux-arm64.tar.xz' | head -n 1)"
[ -n "${tarball}" ] || { echo "01-node: no node-v*-linux-arm64.tar.xz in files/" >&2; exit 1; }
# include/ stays: node-gyp builds the native addons in 02-app against these headers.
tar -xJf "${tarball}" -C "${ROOTFS_DIR}/usr/local" --strip-components=1 --no-same-owner \
  --exclude='*/CHANGELOG.md' --exclude='*/README.md' --exclude='*/LICENSE'
on_chroot <<'CHROOT'
node --version
npm --version
CHROOT
