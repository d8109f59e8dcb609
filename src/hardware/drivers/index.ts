export * from './usb-ptp-driver.js';
