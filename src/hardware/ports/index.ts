export * from './usb-ptp.js';
