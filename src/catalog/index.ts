export * from './catalog.js';
export * from './records.js';
export { SCHEMA_VERSION } from './schema.js';
export * from './home.js';
export * from './job-file-store.js';
export * from './stacks-store.js';
export * from './reclaim-store.js';
export * from './sync-store.js';
export * from './capture-store.js';
export * from './metadata-store.js';
export { Bitset } from './search/bitset.js';
export type { ColumnName } from './search/columns.js';
export {
  captureIdOf,
  dayOf,
  fold,
  serialKey,
  tokens,
  type CaptureId,
  type DocFile,
  type SearchDoc,
  type Term,
} from './search/terms.js';
export * from './edit-store.js';
