import * as fs from 'node:fs/promises';

/**
 * Random access to a file's bytes for parsers that follow offsets (TIFF IFDs, BMFF boxes,
 * CIFF heaps). Reads past the end return what exists; callers check lengths.
 */
export interface ByteReader {
  readonly size: number;
  read(offset: number, length: number): Promise<Buffer>;
}

export function bufferReader(data: Buffer): ByteReader {
  return {
    size: data.length,
    read: (offset, length) =>
      Promise.resolve(
        offset >= data.length || offset < 0
          ? Buffer.alloc(0)
          : data.subarray(offset, Math.min(data.length, offset + length)),
      ),
  };
}

/** How much of a file's head is read in one go: most metadata structures start within it. */
const HEAD_BYTES = 64 * 1024;

/**
 * A reader over an open file that keeps its first 64 KiB: the many small reads of a header
 * parse cost one read(2); offsets beyond it are read on demand.
 */
export class FileByteReader implements ByteReader {
  private constructor(
    private readonly handle: fs.FileHandle,
    readonly size: number,
    private readonly head: Buffer,
  ) {}

  static async open(path: string): Promise<FileByteReader> {
    const handle = await fs.open(path, 'r');
    try {
      const { size } = await handle.stat();
      const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      return new FileByteReader(handle, size, head.subarray(0, bytesRead));
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  async read(offset: number, length: number): Promise<Buffer> {
    if (offset < 0 || offset >= this.size || length <= 0) return Buffer.alloc(0);
    const end = Math.min(this.size, offset + length);
    if (end <= this.head.length) return this.head.subarray(offset, end);
    const out = Buffer.alloc(end - offset);
    const { bytesRead } = await this.handle.read(out, 0, out.length, offset);
    return out.subarray(0, bytesRead);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** Opens `path`, runs `fn` with a reader, closes the file whatever happens. */
export async function withFileReader<T>(
  path: string,
  fn: (reader: ByteReader) => Promise<T>,
): Promise<T> {
  const reader = await FileByteReader.open(path);
  try {
    return await fn(reader);
  } finally {
    await reader.close();
  }
}
