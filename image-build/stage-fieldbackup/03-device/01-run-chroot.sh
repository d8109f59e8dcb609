# shellcheck shell=bash
# Runs inside the image: switch the box on, switch off what wears the SD card, and make sure no
# account can log in with a password.
set -e
systemctl enable fieldbackup.service
# No swap file on the SD card (the daemon fits in RAM; swapping would wear the card and stall copies).
if systemctl list-unit-files dphys-swapfile.service >/dev/null 2>&1; then
  systemctl disable dphys-swapfile.service
fi
# No passwords at all: root and the first user get "*" (no password can match; SSH keys still
# work). pi-gen's FIRST_USER_PASS was a random throwaway that never leaves the build.
usermod -p '*' root
usermod -p '*' "${FIRST_USER_NAME:-fieldbackup}"
# Refuse to ship an image with a usable password hash or an empty password.
if awk -F: '$2 != "*" && $2 !~ /^!/ { print $1; found = 1 } END { exit !found }' /etc/shadow; then
  echo "03-device: the accounts above still have a password" >&2
  exit 1
fi
