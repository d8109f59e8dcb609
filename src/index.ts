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

// Tiers (issue 4): policies and rules from the config, the status per tier, "safe to format".
export {
  captureKindOf,
  DEFAULT_TIER_ORDER,
  DEFAULT_TIERS,
  fileKindOf,
  formatBytes,
  isSafeToFormat,
  parseSize,
  statusLines,
  tierLine,
  tierRank,
  Tiers,
  tiersSection,
  tierSyncRank,
  verdictLine,
  type FileKind,
  type FileProgress,
  type TierPolicy,
  type TierRuleConfig,
  type TiersConfig,
  type TiersInput,
} from './tiers/index.js';
export { recentJobStatus, statusOfJob } from './ingest/index.js';
