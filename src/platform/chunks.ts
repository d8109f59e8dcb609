import type { FileHandle } from 'node:fs/promises';

export const READ_CHUNK = 4 * 1024 * 1024;

/** The bytes of an open file from `position` to its end, each chunk a fresh buffer the consumer may keep. */
export async function* chunksOf(handle: FileHandle, position = 0): AsyncGenerator<Buffer, number> {
  let at = position;
  for (;;) {
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK, at);
    if (bytesRead === 0) return at;
    at += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}
