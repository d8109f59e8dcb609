#!/bin/bash -e
# device/ into the image: units, udev rules, config, scripts with their owners and modes, and
# the FieldBackup block of config.txt (SPI, I2C, button pull-up, gpio-poweroff). The same script
# assembles the CI dry run, so what CI checks is what ships.
files/lib/assemble-rootfs.sh files/device "${ROOTFS_DIR}"
