import type { I2cBusLike } from '../../src/index.js';
import type { I2cChip } from './chips.js';

/** Runs `fn` as a bus transfer: an error becomes a rejection, as with the real addon. */
const transfer = <T>(fn: () => T): Promise<T> => new Promise((resolve) => resolve(fn()));

const noDevice = (address: number): Error =>
  Object.assign(new Error(`EREMOTEIO, Remote I/O error (no device at 0x${address.toString(16)})`), {
    code: 'EREMOTEIO',
    errno: 121,
  });

/**
 * An I2C bus as i2c-bus's PromisifiedBus shows it, with chips at addresses. Block transfers
 * carry a register's bytes as the chip sends them (most significant first); the SMBus word
 * calls assemble them least significant first, as the real SMBus does — the byte-order trap
 * a driver must not fall into.
 */
export class SimulatedI2cBus implements I2cBusLike {
  private readonly chips = new Map<number, I2cChip>();
  closed = false;

  attach(address: number, chip: I2cChip): this {
    this.chips.set(address, chip);
    return this;
  }

  /** Unplugs a chip (a loose HAT): transfers to it fail as on a real bus. */
  detach(address: number): void {
    this.chips.delete(address);
  }

  private chip(address: number): I2cChip {
    if (this.closed) throw new Error('bus is closed');
    const chip = this.chips.get(address);
    if (chip === undefined) throw noDevice(address);
    return chip;
  }

  readI2cBlock(
    address: number,
    command: number,
    length: number,
    buffer: Buffer,
  ): Promise<{ bytesRead: number; buffer: Buffer }> {
    return transfer(() => {
      const value = this.chip(address).read(command);
      const wire = Buffer.from([value >> 8, value & 0xff]);
      const n = Math.min(length, 2);
      wire.copy(buffer, 0, 0, n);
      return { bytesRead: n, buffer };
    });
  }

  writeI2cBlock(
    address: number,
    command: number,
    length: number,
    buffer: Buffer,
  ): Promise<{ bytesWritten: number; buffer: Buffer }> {
    return transfer(() => {
      if (length !== 2) throw new Error(`16-bit registers take 2 bytes, not ${length}`);
      this.chip(address).write(command, ((buffer[0] ?? 0) << 8) | (buffer[1] ?? 0));
      return { bytesWritten: 2, buffer };
    });
  }

  /** SMBus read word: the first byte on the wire becomes the low byte. */
  readWord(address: number, command: number): Promise<number> {
    return transfer(() => {
      const value = this.chip(address).read(command);
      return ((value & 0xff) << 8) | (value >> 8);
    });
  }

  writeWord(address: number, command: number, word: number): Promise<void> {
    return transfer(() => this.chip(address).write(command, ((word & 0xff) << 8) | (word >> 8)));
  }

  scan(): Promise<number[]> {
    return Promise.resolve([...this.chips.keys()].sort((a, b) => a - b));
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
