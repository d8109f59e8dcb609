import { spawn } from 'node:child_process';
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
 */
export function createExifTool(): ExifTool {
  return new ExifTool({
    maxProcs: 2,
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
      return proc;
    },
  });
}
