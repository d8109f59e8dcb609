import { DataReader, protocolError } from './reader.js';

/** GetDeviceInfo's dataset (PTP 1.0 §5.5.1). */
export interface DeviceInfo {
  readonly standardVersion: number;
  readonly vendorExtensionId: number;
  readonly vendorExtensionVersion: number;
  readonly vendorExtensionDesc: string;
  readonly functionalMode: number;
  readonly operations: ReadonlySet<number>;
  readonly events: ReadonlySet<number>;
  readonly properties: ReadonlySet<number>;
  readonly manufacturer: string;
  readonly model: string;
  readonly deviceVersion: string;
  readonly serialNumber: string;
}

export interface StorageInfo {
  readonly storageType: number;
  readonly filesystemType: number;
  readonly accessCapability: number;
  readonly maxCapacity: number;
  readonly freeSpaceInBytes: number;
  readonly freeSpaceInImages: number;
  readonly description: string;
  readonly volumeLabel: string;
}

export interface ObjectInfo {
  readonly storageId: number;
  readonly format: number;
  readonly protectionStatus: number;
  /** 0xFFFFFFFF when the object is 4 GiB or larger (the field is 32 bits). */
  readonly compressedSize: number;
  readonly parent: number;
  readonly associationType: number;
  readonly filename: string;
  /** "YYYYMMDDThhmmss[.s][Z|±hhmm]" as the camera wrote it, or ''. */
  readonly captureDate: string;
  readonly modificationDate: string;
}

export function parseDeviceInfo(data: Uint8Array): DeviceInfo {
  const r = new DataReader(data, 'DeviceInfo');
  const standardVersion = r.u16('StandardVersion');
  const vendorExtensionId = r.u32('VendorExtensionID');
  const vendorExtensionVersion = r.u16('VendorExtensionVersion');
  const vendorExtensionDesc = r.string('VendorExtensionDesc');
  const functionalMode = r.u16('FunctionalMode');
  const operations = new Set(r.u16Array('OperationsSupported'));
  const events = new Set(r.u16Array('EventsSupported'));
  const properties = new Set(r.u16Array('DevicePropertiesSupported'));
  r.u16Array('CaptureFormats');
  r.u16Array('ImageFormats');
  // Manufacturer … SerialNumber are optional in practice (some devices stop after the formats).
  const optional = (field: string): string => (r.remaining > 0 ? r.string(field) : '');
  return {
    standardVersion,
    vendorExtensionId,
    vendorExtensionVersion,
    vendorExtensionDesc,
    functionalMode,
    operations,
    events,
    properties,
    manufacturer: optional('Manufacturer'),
    model: optional('Model'),
    deviceVersion: optional('DeviceVersion'),
    serialNumber: optional('SerialNumber'),
  };
}

export function parseStorageInfo(data: Uint8Array): StorageInfo {
  const r = new DataReader(data, 'StorageInfo');
  return {
    storageType: r.u16('StorageType'),
    filesystemType: r.u16('FilesystemType'),
    accessCapability: r.u16('AccessCapability'),
    maxCapacity: r.u64('MaxCapacity'),
    freeSpaceInBytes: r.u64('FreeSpaceInBytes'),
    freeSpaceInImages: r.u32('FreeSpaceInImages'),
    description: r.string('StorageDescription'),
    volumeLabel: r.remaining > 0 ? r.string('VolumeLabel') : '',
  };
}

export function parseObjectInfo(data: Uint8Array): ObjectInfo {
  const r = new DataReader(data, 'ObjectInfo');
  const storageId = r.u32('StorageID');
  const format = r.u16('ObjectFormat');
  const protectionStatus = r.u16('ProtectionStatus');
  const compressedSize = r.u32('ObjectCompressedSize');
  r.skip(2 + 4 * 6, 'thumbnail and image fields');
  const parent = r.u32('ParentObject');
  const associationType = r.u16('AssociationType');
  r.skip(4 + 4, 'AssociationDesc and SequenceNumber');
  const filename = r.string('Filename');
  const optional = (field: string): string => (r.remaining > 0 ? r.string(field) : '');
  return {
    storageId,
    format,
    protectionStatus,
    compressedSize,
    parent,
    associationType,
    filename,
    captureDate: optional('CaptureDate'),
    modificationDate: optional('ModificationDate'),
  };
}

export function parseU32Array(data: Uint8Array, what: string): number[] {
  const r = new DataReader(data, what);
  const out = r.u32Array(what);
  if (r.remaining !== 0) throw protocolError(`${what} has ${r.remaining} bytes after its array`);
  return out;
}

const PTP_DATE_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})/;

/**
 * A PTP DateTime as the camera's wall clock (a Date whose UTC fields hold it, the convention
 * of the ingest planner), or undefined when it is missing or impossible.
 */
export function parsePtpDate(raw: string): Date | undefined {
  const m = PTP_DATE_RE.exec(raw);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wall = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  const valid =
    y >= 1980 &&
    wall.getUTCMonth() === mo - 1 &&
    wall.getUTCDate() === d &&
    h < 24 &&
    mi < 60 &&
    s < 60;
  return valid ? wall : undefined;
}
