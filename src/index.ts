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
  type SyncRunner,
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
