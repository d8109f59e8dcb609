import type { FileHandle } from 'node:fs/promises';

export const READ_CHUNK = 2 * 1024 * 1024;

/**
 * The bytes of an open file from `position` to its end. Buffers are reused from a ring of
 * three, so copying a card makes no garbage: a chunk stays valid while the next one is read,
 * until the one after that is requested (the read-ahead pattern of writeToVaults).
 */
export async function* chunksOf(handle: FileHandle, position = 0): AsyncGenerator<Buffer, number> {
  const ring = [
    Buffer.allocUnsafeSlow(READ_CHUNK),
    Buffer.allocUnsafeSlow(READ_CHUNK),
    Buffer.allocUnsafeSlow(READ_CHUNK),
  ];
  let at = position;
  for (let n = 0; ; n++) {
    const buffer = ring[n % ring.length] as Buffer;
    const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK, at);
    if (bytesRead === 0) return at;
    at += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}
