export * from './codes.js';
export * from './datasets.js';
export * from './messages.js';
export * from './ptpip-packets.js';
export { DataReader, DataWriter, protocolError } from './reader.js';
export * from './usb-container.js';
export * from './vendor-events.js';
