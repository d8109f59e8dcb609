import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import {
  applyEconomy,
  StacksStore,
  systemClock,
  type Catalog,
  type EconomyPolicy,
  type JobId,
  type SourceId,
  type StackRecord,
  type VaultId,
} from '../../src/index.js';
import { captureKeyOf } from '../../src/ingest/index.js';

/** The stack economy switched on for the built-in tiers it may thin. */
export const ECONOMY_ON: EconomyPolicy = {
  mode: 'on',
  below: { percent: 10 },
  tiers: ['standard', 'bulk'],
};

/**
 * Records every capture of a job as one burst, its first capture (by path) the pick: what
 * issue 5's BackgroundStacker stores for a burst. Generated frames are not look-alikes the
 * detector would group, and the economy is what is tested here, not the detector.
 */
export async function recordJobAsBurst(catalog: Catalog, jobId: JobId): Promise<StackRecord[]> {
  const sourceId = catalog.job(jobId)?.sourceId as SourceId;
  const byCapture = new Map<
    string,
    { relPath: string; hash: StackRecord['frames'][0]['files'][0]['hash'] }[]
  >();
  for (const f of catalog.filesOfSource(sourceId)) {
    if (f.jobId !== jobId) continue;
    const key = captureKeyOf(f.relPath);
    byCapture.set(key, [...(byCapture.get(key) ?? []), { relPath: f.relPath, hash: f.hash }]);
  }
  const keys = [...byCapture.keys()].sort();
  const records: StackRecord[] = [
    {
      jobId,
      no: 1,
      kind: 'burst',
      pick: 0,
      frames: keys.map((captureKey) => ({ captureKey, files: byCapture.get(captureKey) ?? [] })),
    },
  ];
  await new StacksStore(catalog).record(jobId, records, {
    profile: 'test',
    analysed: keys.length,
    skipped: 0,
    at: Date.now(),
  });
  return records;
}

/** Applies the stack economy to a job's recorded stacks on these vaults (the first keeps its copies). */
export function thin(
  catalog: Catalog,
  jobId: JobId,
  vaults: readonly string[],
): ReturnType<typeof applyEconomy> {
  const stacks = new StacksStore(catalog);
  return applyEconomy(
    jobId,
    catalog.job(jobId)?.sourceId as SourceId,
    [...stacks.stacksOf(jobId)],
    {
      catalog,
      policy: ECONOMY_ON,
      vaults,
      clock: systemClock,
    },
  );
}

export async function vaultIdOf(root: string): Promise<VaultId> {
  return (
    JSON.parse(await fs.readFile(join(root, 'fieldbackup-vault.json'), 'utf8')) as { id: VaultId }
  ).id;
}

/** The generation files of a vault's ASC MHL history, in order. */
export async function generationsOf(root: string): Promise<string[]> {
  return (await fs.readdir(join(root, 'Photos', 'ascmhl')))
    .filter((f) => f.endsWith('.mhl'))
    .sort();
}

export async function exists(path: string): Promise<boolean> {
  return fs.stat(path).then(
    () => true,
    () => false,
  );
}
