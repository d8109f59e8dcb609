export * from './libusb-types.js';
export * from './usb-ptp-driver.js';
