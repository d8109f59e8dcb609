/** The part of `spi-device`'s SpiDevice the drivers use (hardware-mocks implement the same). */
export interface SpiMessage {
  readonly byteLength: number;
  readonly sendBuffer?: Buffer;
  readonly receiveBuffer?: Buffer;
  readonly speedHz?: number;
}

export interface SpiDeviceLike {
  transfer(
    message: SpiMessage[],
    callback: (err: Error | null | undefined, message: SpiMessage[]) => void,
  ): unknown;
  close(callback: (err: Error | null | undefined) => void): void;
}

export interface SpiOpenOptions {
  readonly mode: 0 | 1 | 2 | 3;
  readonly maxSpeedHz: number;
}

export type SpiOpener = (
  bus: number,
  device: number,
  options: SpiOpenOptions,
) => Promise<SpiDeviceLike>;

/** Opens /dev/spidevB.D with `spi-device` (native; loaded only when the panel is used). */
export const openSpiDevice: SpiOpener = async (bus, device, options) => {
  const spi = (await import('spi-device')) as unknown as {
    open(
      bus: number,
      device: number,
      options: SpiOpenOptions,
      cb: (err: Error | null | undefined) => void,
    ): SpiDeviceLike;
  };
  return new Promise((resolve, reject) => {
    const dev = spi.open(bus, device, options, (err) =>
      err === null || err === undefined ? resolve(dev) : reject(err),
    );
  });
};

/** One transfer as a promise. */
export function spiTransfer(spi: SpiDeviceLike, data: Buffer, speedHz?: number): Promise<void> {
  return new Promise((resolve, reject) => {
    spi.transfer(
      [
        {
          byteLength: data.length,
          sendBuffer: data,
          ...(speedHz === undefined ? {} : { speedHz }),
        },
      ],
      (err) => (err === null || err === undefined ? resolve() : reject(err)),
    );
  });
}
