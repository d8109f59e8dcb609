export * from './restore.js';
export * from './search/index.js';
