/**
 * One measured sync in a fresh process, so that its CPU time and peak RSS are its own:
 *   sync-worker <home> <vault> <sftp url> <identity>
 * Prints one JSON line: wallMs, userMs, systemMs, maxRssMB, bytes, files, done.
 */
import { Catalog, syncToNas } from '../../src/index.js';

const [home, vault, url, identity] = process.argv.slice(2) as [string, string, string, string];
const catalog = await Catalog.open(home);
const started = performance.now();
try {
  const done = await syncToNas({ catalog, to: url, identity, init: true, vaults: [vault] });
  if (done.exitCode !== 0) throw new Error(`sync failed: ${JSON.stringify(done)}`);
  const wallMs = performance.now() - started;
  const usage = process.resourceUsage();
  console.log(
    JSON.stringify({
      wallMs,
      userMs: usage.userCPUTime / 1000,
      systemMs: usage.systemCPUTime / 1000,
      maxRssMB: usage.maxRSS / 1024,
      bytes: done.bytesSent,
      files: done.sent,
      verified: done.bytesVerified,
    }),
  );
} finally {
  await catalog.close();
}
