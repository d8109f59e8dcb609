import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { DefaultExiftoolArgs, ExifTool, exiftoolPath } from 'exiftool-vendored';

/**
 * The ExifTool process pool the box uses; end() it when done.
 *
 * - MWG composites stay off: once loaded in a perl process, MWG's strict mode makes ExifTool
 *   ignore EXIF inside embedded JPEGs (RW2, RAF previews) for every later file it reads.
 * - stdout is decoded as a UTF-8 stream: batch-cluster turns each chunk into a string on its
 *   own, so a character split across two pipe reads became U+FFFD in the metadata of large
 *   outputs (seen on an ICC profile's Arabic description). Node's decoder keeps partial
 *   characters for the next chunk.
 * - `background` pools run niced: the metadata indexer's, beside the planner's normal one.
 */
export interface ExifToolPoolOptions {
  /**
   * Run at a lower CPU priority (nice 10): for background indexing, so that the copies and
   * their verification always get the CPU first and "safe to remove" is never delayed.
   */
  readonly background?: boolean;
  readonly maxProcs?: number;
}

export function createExifTool(options: ExifToolPoolOptions = {}): ExifTool {
  return new ExifTool({
    maxProcs: options.maxProcs ?? 2,
    taskTimeoutMillis: 30_000,
    useMWG: false,
    processFactory: async () => {
      const proc = spawn(await exiftoolPath(), [...DefaultExiftoolArgs], {
        stdio: 'pipe',
        shell: false,
        windowsHide: true,
        detached: false,
        env: { ...process.env, LANG: 'C' },
      });
      proc.stdout.setEncoding('utf8');
      proc.stderr.setEncoding('utf8');
      if (options.background === true && proc.pid !== undefined) setPriority(proc.pid, 10);
      return proc;
    },
  });
}
