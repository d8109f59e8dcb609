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
  stacksLine,
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
// Tethering (issue 6): cameras on USB (PTP) and Wi-Fi (PTP/IP), hot folders; each shot fed to
// an IngestSession job as it is announced. The USB bus port and its libusb driver come along.
export {
  CameraTether,
  chooseEventStyle,
  HotFolder,
  initiatorGuid,
  ptp,
  PTPIP_PORT,
  PtpIpCameraConnector,
  PtpIpTransport,
  PtpSession,
  runTether,
  unsafeSegmentReason,
  UsbCameraConnector,
  UsbPtpTransport,
  type CameraConnector,
  type CameraTetherOptions,
  type EventStyle,
  type FeedNotice,
  type HotFolderOptions,
  type PtpIpOptions,
  type PtpSessionOptions,
  type PtpTransport,
  type Shot,
  type TetherDone,
  type TetherEvent,
  type TetherFeed,
  type TetherJob,
  type TetherJobHost,
  type TetherRunOptions,
  type UsbConnectorOptions,
  type UsbTransportOptions,
} from './tether/index.js';
export {
  LibusbPtpBus,
  openLibusbBus,
  type LibusbDevice,
  type LibusbLibrary,
} from './hardware/drivers/index.js';
export {
  UsbLinkError,
  type UsbPtpBus,
  type UsbPtpDeviceInfo,
  type UsbPtpLink,
} from './hardware/ports/index.js';
// The box (issue 7): the appliance's statechart and its hardware (ports, real drivers, the
// `hardware` config section), the status model with its e-ink frames, LED patterns and text.
export {
  Appliance,
  createBoxMachine,
  machineView,
  openBoxHardware,
  readStatusFile,
  STATUS_FILE,
  type ApplianceEnd,
  type ApplianceOptions,
  type BoxEvent,
  type BoxParts,
  type BoxServices,
  type BoxSettings,
  type CardInsert,
  type HardwareEnv,
  type MachineView,
  type StatusFileContent,
  type SyncProgress,
  type SyncResult,
} from './appliance/index.js';
export { hardwareSection, type HardwareConfig } from './hardware/config.js';
export * from './hardware/ports/index.js';
export {
  cellPercent,
  DrivelistLister,
  GpioButton,
  GpioLed,
  GpioNumbering,
  GpioPins,
  Ina219Gauge,
  listGpioChips,
  LsblkLister,
  Max17048Gauge,
  packFrame,
  PollingDriveWatcher,
  ProcPartitionsProbe,
  RegisterIo,
  Ssd1680Panel,
  SystemMounter,
  SystemPowerControl,
  CARD_OPTIONS,
  FRAME_BYTES,
  NATIVE_HEIGHT,
  NATIVE_WIDTH,
  ROW_BYTES,
  type CommandRunner,
  type GpioConstructor,
  type GpioDirection,
  type GpioEdge,
  type GpioLine,
  type GpioLineOptions,
  type I2cBusLike,
  type I2cOpener,
  type PanelRotation,
  type SpiDeviceLike,
  type SpiMessage,
  type SpiOpener,
} from './hardware/drivers/index.js';
export * from './status/index.js';
// NAS sync (issue 8): remotes (mounted share, SFTP), the sync protocol, archive status, readiness.
export {
  archiveStatus,
  checkSyncReadiness,
  formatTarget,
  HeldNasLocks,
  LocalRemote,
  nasAnswers,
  parseTarget,
  SftpRemote,
  syncConfigSchema,
  syncOptionsFromConfig,
  syncOrder,
  syncToNas,
  type ArchiveBoxStatus,
  type ArchiveStatus,
  type ArchiveStatusOptions,
  type Remote,
  type RemoteCapabilities,
  type RemoteEntry,
  type RemoteFile,
  type RemoteHash,
  type RemoteStat,
  type SyncBlocker,
  type SyncConfig,
  type SyncFacts,
  type SyncOptions,
  type SyncReadiness,
  type SyncTarget,
} from './sync/index.js';
export type {
  BoxIdentity,
  PinnedHostKey,
  PushedRecord,
  SyncTargetRecord,
} from './catalog/index.js';
export { SystemNetworkState } from './hardware/drivers/index.js';
export type { NetworkState } from './hardware/ports/index.js';
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
// --- Similar images (issue 5): bursts and brackets as stacks, the stack economy ---
export {
  BUILT_IN_PROFILES,
  DEFAULT_PROFILE,
  ExifToolHintReader,
  imageOfCapture,
  MediaPreviewSource,
  type HintReader,
  type PreviewSource,
  type SimilarityProfile,
} from './media/similarity/index.js';
export {
  allIndexers,
  applyEconomy,
  BackgroundStacker,
  economyPolicy,
  findStacksInFolder,
  StackQuery,
  stackCaptures,
  type BackgroundStackerOptions,
  type StackMember,
  type StackView,
  resolveProfile,
  similarityProfiles,
  type CaptureStack,
  type CaptureToStack,
  type EconomyPolicy,
  type FolderStack,
  type FolderStacks,
  type SimilarityConfig,
} from './ingest/stacks/index.js';
export {
  ReclaimStore,
  StacksStore,
  type ReclaimRecord,
  type StackRecord,
  type StackRole,
} from './catalog/index.js';
export type { JobStacks, SingleCopyFile, StackEvent, StackKind } from './core/index.js';
// Device image: systemd integration of `fieldbackup daemon` (Type=notify, watchdog).
export { SystemdNotifier, type SystemdNotifierOptions } from './appliance/index.js';
// --- Web page (issue 10): live status, gallery, detail, culling edits into XMP sidecars ---
export {
  CaptureEditStore,
  PICK_TIER,
  type CaptureEdit,
  type CaptureFlag,
  type EditRecord,
} from './catalog/index.js';
export {
  BoxStatusSource,
  CaptureEditor,
  CatalogStatusSource,
  galleryPage,
  jobView,
  LABELS,
  mountedVaults,
  PairingCodes,
  showPairingCodes,
  sidecarXml,
  Thumbnails,
  THUMB_PX,
  WebServer,
  webConfigSchema,
  type BoxFacts,
  type BoxStatusFeed,
  type CaptureDetail,
  type EditOutcome,
  type GalleryPage,
  type JobView,
  type MountedVault,
  type PairingCode,
  type StatusSource,
  type Tile,
  type WebConfig,
  type WebServerOptions,
  type WebStatus,
} from './web/index.js';
// --- Stack economy gaps: removals recorded in ASC MHL, picks copied back to every vault ---
export {
  checkMhlHistory,
  readMhlHistory,
  removedPattern,
  writeMhlGeneration,
  type MhlHistory,
  type MhlListedFile,
  type MhlProblem,
} from './vault/index.js';
export {
  copyOwedPicks,
  copyPicks,
  finishReclaims,
  lockVaults,
  Picks,
  type LockedVaults,
  type PickCopy,
  type PickCopyProblem,
  type PickCopyReport,
  type RecoveryReport,
} from './ingest/index.js';
export type { PendingMhlRecord } from './catalog/index.js';
export type { PickCopiesOutcome } from './web/index.js';

// Stacks for tethered shooting: looked for after a quiet period, incrementally (gap-edits).
export {
  DEFAULT_QUIET_MS,
  QuietStacking,
  type QuietStackingOptions,
} from './ingest/stacks/index.js';
