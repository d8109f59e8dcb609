export * from './command.js';
export * from './wifi.js';
