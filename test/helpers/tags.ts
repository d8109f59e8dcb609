import type { WriteTags } from 'exiftool-vendored';
import { createExifTool } from '../../src/index.js';

/** Writes metadata into files with the real ExifTool, as a camera or a culling app would. */
export async function writeTags(files: Readonly<Record<string, WriteTags>>): Promise<void> {
  const exiftool = createExifTool();
  try {
    for (const [path, tags] of Object.entries(files))
      await exiftool.write(path, tags, ['-overwrite_original', '-P']);
  } finally {
    await exiftool.end();
  }
}
