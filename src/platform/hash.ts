import xxhash from 'xxhash-addon';
import { asContentHash, type ContentHash } from '../core/index.js';

const ZERO_SEED = Buffer.alloc(8);

/**
 * Streaming XXH3-128 (xxhash-addon: the native xxHash with prebuilt linux-arm64/x64
 * binaries). Its digest is the canonical big-endian form, identical to `xxhsum -H2`.
 */
export class Xxh128 {
  // The addon's constructor crashes the process without a seed argument.
  private readonly state = new xxhash.XXHash128(ZERO_SEED);

  update(chunk: Uint8Array): void {
    this.state.update(
      Buffer.isBuffer(chunk)
        ? chunk
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
    );
  }

  digest(): ContentHash {
    return asContentHash(this.state.digest().toString('hex'));
  }
}

export function hashBytes(data: Uint8Array): ContentHash {
  const h = new Xxh128();
  h.update(data);
  return h.digest();
}
