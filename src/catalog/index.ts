export * from './catalog.js';
export * from './records.js';
export { SCHEMA_VERSION } from './schema.js';
export * from './home.js';
export * from './job-file-store.js';
export * from './sync-store.js';
