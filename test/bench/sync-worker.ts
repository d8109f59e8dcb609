/**
 * One measured sync in a fresh process, so that its CPU time and peak RSS are its own:
 *   sync-worker <home> <vault> <sftp url> <identity>
 * Prints one JSON line: wallMs, userMs, systemMs, maxRssMB, bytes, files, done.
 */
import { Catalog, syncToNas } from '../../src/index.js';
import { processUsage } from './measure.js';

const [home, vault, url, identity] = process.argv.slice(2) as [string, string, string, string];
const catalog = await Catalog.open(home);
const started = performance.now();
try {
  const done = await syncToNas({ catalog, to: url, identity, init: true, vaults: [vault] });
  if (done.exitCode !== 0) throw new Error(`sync failed: ${JSON.stringify(done)}`);
  console.log(
    JSON.stringify({
      ...processUsage(started),
      bytes: done.bytesSent,
      files: done.sent,
      verified: done.bytesVerified,
    }),
  );
} finally {
  await catalog.close();
}
