/**
 * FieldBackup's public TypeScript API: everything the command line does, a script can do.
 *
 * ```ts
 * const catalog = await Catalog.open(homeDir());
 * const done = await ingest({ source: new FolderSource('/media/card'), vaults: ['/media/ssd-a', '/media/ssd-b'], catalog });
 * ```
 */
export * from './core/index.js';
export { Catalog, homeDir, SCHEMA_VERSION } from './catalog/index.js';
export type { FileRecord, JobRecord, ObjectRecord, SourceRecord } from './catalog/index.js';
export {
  FolderSource,
  IngestSession,
  ingest,
  planIngest,
  scrub,
  type IngestOptions,
  type JobOptions,
  type SessionOptions,
  type PlannedFile,
  type ScrubOptions,
} from './ingest/index.js';
export {
  createExifTool,
  ExifToolPlanTagReader,
  type PlanTagReader,
  type PlanTags,
} from './media/index.js';
export { hashBytes, toolVersion, writeFileAtomic, Xxh128 } from './platform/index.js';
export { everythingStandard, type CaptureFacts, type TierRule } from './tiers/index.js';
export {
  DEFAULT_PATH_TEMPLATE,
  initVault,
  PathTemplate,
  readMarker,
  Vault,
  nodeVaultIo,
  type VaultIo,
  type VaultMarker,
} from './vault/index.js';
export {
  CONFIG_VERSION,
  configSchema,
  loadConfig,
  parseConfig,
  type Config,
} from './appliance/config/index.js';

// --- Media (issue 3): formats by content, full metadata, captures, search, restore, previews ---
export {
  Bitset,
  CaptureStore,
  captureIdOf,
  MetadataStore,
  type CaptureId,
  type CaptureRecord,
  type DocFile,
  type MetadataRecord,
  type SearchDoc,
} from './catalog/index.js';
export {
  bufferReader,
  compareTags,
  detectFile,
  detectFormat,
  ExifToolMetadataReader,
  extractPreview,
  FORMAT_ALIASES,
  FORMATS,
  FULL_READ_ARGS,
  mergeCapture,
  normalize,
  withFileReader,
  type ByteReader,
  type DetectedFormat,
  type ExifToolPoolOptions,
  type MediaFormat,
  type MediaKind,
  type MetadataReader,
  type MetadataReading,
  type Preview,
  type PreviewOptions,
  type TagDifference,
  type TagSet,
} from './media/index.js';
export {
  buildCaptureDoc,
  MetadataIndexer,
  reindexCaptures,
  type CaptureStores,
  type FileIndexer,
  type MetadataIndexerOptions,
  type SecuredFileNotice,
} from './ingest/index.js';
export {
  FIELDS as SEARCH_FIELDS,
  parseQuery,
  QueryError,
  restore,
  search,
  searchCaptures,
  type QueryNode,
  type RestoreLayout,
  type RestoreOptions,
  type SearchOptions,
  type SearchResult,
} from './restore/index.js';
