import { it } from 'vitest';
import * as fs from 'node:fs/promises';
import sharp from 'sharp';
import { renderFrame, framePng } from '../../src/status/raster.js';
import { INITIAL_STATUS, type BoxStatus } from '../../src/status/model.js';
import type { JobStatus } from '../../src/core/index.js';

const amount = (captures: number, files: number, bytes: number) => ({ captures, files, bytes });
const job = (safe: boolean, pending = 0): JobStatus => ({
  jobId: 'j' as never, source: { id: 's' as never, kind: 'card', name: 'EOS_R5_07', location: '/x' }, state: 'finished', startedAt: 0,
  vaults: [{ id: 'a' as never, label: 'SSD-A' }, { id: 'b' as never, label: 'SSD-B' }],
  tiers: [
    { tier: 'critical', rank: 1, copiesRequired: 2, verification: 'read-back', total: amount(6, 12, 300e6), copied: amount(6, 12, 300e6), short: amount(0,0,0), notCopied: amount(0,0,0), pending: amount(0,0,0), verified: [] },
    { tier: 'standard', rank: 2, copiesRequired: 2, verification: 'read-back', total: amount(400, 830, 31e9), copied: amount(400-pending, 830-pending*2, 31e9 - pending*70e6), short: amount(0,0,0), notCopied: amount(0,0,0), pending: amount(pending, pending*2, pending*70e6), verified: [] },
  ],
  short: safe ? [] : [{ path: 'a', tier: 'standard', required: 2, on: ['SSD-A'], reason: 'x' }, { path: 'b', tier: 'standard', required: 2, on: ['SSD-A'], reason: 'x' }],
  notCopied: [], safeToFormat: safe,
});
const base: BoxStatus = { ...INITIAL_STATUS, mode: 'running', vaults: [{ label: 'SSD-A', present: true }, { label: 'SSD-B', present: true }], power: { source: 'battery', level: 'ok', percent: 87, gauge: 'ok' } };
const cases: Record<string, BoxStatus> = {
  ready: base,
  copying: { ...base, card: { phase: 'copying', name: 'EOS_R5_07', job: job(false, 150), progress: { files: 400, filesTotal: 842, bytes: 12.3e9, bytesTotal: 31.3e9, bytesPerSecond: 1e8, etaSeconds: 190 } }, sync: { phase: 'synced' } },
  safe: { ...base, card: { phase: 'safe', name: 'EOS_R5_07', job: job(true) } },
  keep: { ...base, vaults: [{ label: 'SSD-A', present: true }, { label: 'SSD-B', present: false }], card: { phase: 'safe', name: 'EOS_R5_07', job: job(false) } },
  pulled: { ...base, card: { phase: 'pulled', name: 'EOS_R5_07', job: job(false, 150) } },
  unreadable: { ...base, card: { phase: 'unreadable', name: 'NO NAME', problem: 'cannot mount /dev/sda1 (ntfs): unknown filesystem type' } },
  off: { ...base, mode: 'off', shutdownReason: 'battery', power: { source: 'battery', level: 'critical', percent: 7, gauge: 'ok' }, lastCard: { name: 'EOS_R5_07', jobId: 'j' as never, safeToFormat: false, files: 842, bytes: 31e9, notSafe: 150, interrupted: true, at: 0 } },
  tether: { ...base, tether: { phase: 'connected', camera: 'Canon EOS R5', shots: 12, failed: 0, degraded: 0, inFlight: 0, lastShot: 'IMG_0012.CR2' } },
};
it('renders', async () => {
  await fs.mkdir('/tmp/frames', { recursive: true });
  for (const [name, s] of Object.entries(cases)) {
    const png = await framePng(await renderFrame(s));
    await sharp(png).resize(750, 366, { kernel: 'nearest' }).toFile(`/tmp/frames/${name}.png`);
  }
});
