export * from './libusb-types.js';
export * from './usb-ptp-driver.js';
export * from './command.js';
export * from './wifi.js';
