# shellcheck shell=bash
# Runs inside the arm64 image (qemu-user): `npm ci` resolves the exact versions of
# package-lock.json and fetches or builds each native addon for linux-arm64, the box's own
# architecture. Dev dependencies (TypeScript, vitest, eslint) stay out.
set -e
cd /opt/fieldbackup
npm ci --omit=dev --no-audit --no-fund
npm cache clean --force
# Every native addon must load on this architecture; a missing prebuild fails the build here,
# not on the box.
node -e "for (const m of ['lmdb', 'sharp', 'xxhash-addon', 'i2c-bus', 'spi-device', 'onoff', 'usb', 'drivelist', '@ronomon/direct-io']) require(m)"
node dist/src/cli/main.js --version
apt-get purge -y --auto-remove build-essential
apt-get clean
