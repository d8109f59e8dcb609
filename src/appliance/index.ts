export * from './appliance.js';
export type { BoxParts } from './box-parts.js';
export {
  createBoxMachine,
  type BoxEvent,
  type BoxServices,
  type BoxSettings,
} from './box-machine.js';
export type { CardInsert } from './drive-router.js';
export { openBoxHardware, type HardwareEnv } from './hardware.js';
export { machineView, type MachineView } from './machine-view.js';
export { readStatusFile, STATUS_FILE, type StatusFileContent } from './status-file.js';
export type { SyncProgress, SyncResult } from './sync-seam.js';
export { SystemdNotifier, type SystemdNotifierOptions } from './systemd-notify.js';
