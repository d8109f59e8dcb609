import { errorMessage, FieldBackupError } from '../../core/index.js';

/** The part of i2c-bus's PromisifiedBus the gauges use (hardware-mocks implement the same). */
export interface I2cBusLike {
  readI2cBlock(
    address: number,
    command: number,
    length: number,
    buffer: Buffer,
  ): Promise<{ bytesRead: number; buffer: Buffer }>;
  writeI2cBlock(
    address: number,
    command: number,
    length: number,
    buffer: Buffer,
  ): Promise<{ bytesWritten: number; buffer: Buffer }>;
  close(): Promise<void>;
}

export type I2cOpener = (bus: number) => Promise<I2cBusLike>;

/** Opens /dev/i2c-N with `i2c-bus` (native; loaded only when a gauge is configured). */
export const openI2cBus: I2cOpener = async (bus) => {
  const i2c = await import('i2c-bus');
  return i2c.openPromisified(bus);
};

/**
 * The 16-bit registers of the INA219 and the MAX1704x go over the wire most significant byte
 * first, while SMBus "read word" assembles the least significant byte first. Reading two
 * bytes as a block and combining them big-endian sidesteps that trap.
 */
export class RegisterIo {
  constructor(
    private readonly bus: I2cBusLike,
    readonly address: number,
    private readonly chip: string,
  ) {}

  async read16(register: number): Promise<number> {
    const buffer = Buffer.alloc(2);
    const { bytesRead } = await this.bus
      .readI2cBlock(this.address, register, 2, buffer)
      .catch((err: unknown) => {
        throw this.problem(`cannot read register 0x${register.toString(16)}`, err);
      });
    if (bytesRead !== 2)
      throw this.problem(`register 0x${register.toString(16)}: ${bytesRead} bytes instead of 2`);
    return buffer.readUInt16BE(0);
  }

  async readSigned16(register: number): Promise<number> {
    const value = await this.read16(register);
    return value >= 0x8000 ? value - 0x10000 : value;
  }

  async write16(register: number, value: number): Promise<void> {
    const buffer = Buffer.alloc(2);
    buffer.writeUInt16BE(value & 0xffff, 0);
    await this.bus.writeI2cBlock(this.address, register, 2, buffer).catch((err: unknown) => {
      throw this.problem(`cannot write register 0x${register.toString(16)}`, err);
    });
  }

  private problem(what: string, cause?: unknown): FieldBackupError {
    return new FieldBackupError(
      'E_HARDWARE',
      `${this.chip} at 0x${this.address.toString(16)}: ${what}${cause === undefined ? '' : `: ${errorMessage(cause)}`}`,
      {
        subject: { device: `${this.chip}@0x${this.address.toString(16)}` },
        retryable: true,
        cause,
      },
    );
  }
}

/**
 * A lithium cell's state of charge from its resting voltage (a typical open-circuit curve):
 * better than a straight line from 3.0 to 4.2 V, which reads 50 % at 3.6 V where a cell has
 * about a fifth left.
 */
const CELL_CURVE: readonly (readonly [number, number])[] = [
  [3.0, 0],
  [3.3, 5],
  [3.5, 10],
  [3.6, 20],
  [3.7, 40],
  [3.8, 60],
  [3.9, 75],
  [4.0, 85],
  [4.1, 95],
  [4.2, 100],
];

export function cellPercent(volts: number): number {
  const first = CELL_CURVE[0] as readonly [number, number];
  if (volts <= first[0]) return 0;
  for (let i = 1; i < CELL_CURVE.length; i++) {
    const [v1, p1] = CELL_CURVE[i] as readonly [number, number];
    const [v0, p0] = CELL_CURVE[i - 1] as readonly [number, number];
    if (volts <= v1) return p0 + ((volts - v0) / (v1 - v0)) * (p1 - p0);
  }
  return 100;
}
