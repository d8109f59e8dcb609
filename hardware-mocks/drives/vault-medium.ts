import { nodeVaultIo, type VaultIo } from '../../src/index.js';

export interface MediumOptions {
  /** Writes under this vault root fail with ENOSPC once this many bytes went to it. */
  readonly full?: { readonly root: string; readonly afterBytes: number };
  /** Writes go at this speed (bytes/s): a slow USB 2 SSD, so a card can be pulled while it copies. */
  readonly bytesPerSecond?: number;
}

/**
 * The SSDs' medium as the write protocol sees it (VaultIo), with the faults a simulated box
 * needs: a disk that fills up (ENOSPC from write, as the kernel reports it) and a slow one.
 * The files are real files; only the moment a write fails or finishes is chosen here.
 */
export function simulatedMedium(options: MediumOptions): VaultIo {
  let written = 0;
  return {
    ...nodeVaultIo,
    createTemp: async (path) => {
      const handle = await nodeVaultIo.createTemp(path);
      const fills = options.full !== undefined && path.startsWith(options.full.root);
      return new Proxy(handle, {
        get(target, key, receiver) {
          if (key !== 'write') {
            const value: unknown = Reflect.get(target, key, receiver);
            return typeof value === 'function'
              ? (value as (...args: unknown[]) => unknown).bind(target)
              : value;
          }
          return async (buffer: Buffer, offset: number, length: number) => {
            if (options.bytesPerSecond !== undefined)
              await new Promise((resolve) =>
                setTimeout(resolve, (length / (options.bytesPerSecond ?? 1)) * 1000),
              );
            if (fills && options.full !== undefined) {
              if (written + length > options.full.afterBytes)
                throw Object.assign(new Error(`ENOSPC: no space left on device, write`), {
                  code: 'ENOSPC',
                  errno: -28,
                  syscall: 'write',
                  path,
                });
              written += length;
            }
            return target.write(buffer, offset, length);
          };
        },
      });
    },
  };
}
