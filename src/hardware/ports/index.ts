export * from './usb-ptp.js';
export * from './network.js';
