import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateShoot } from '../../../fixtures/index.js';
import {
  FolderSource,
  ingest,
  type IngestEvent,
  type IngestProblemEvent,
  type Source,
  type SourceEntry,
} from '../../../src/index.js';
import { openCatalog, setupBox } from '../../helpers/box.js';
import { cli, ingestArgv } from '../../helpers/cli.js';
import { isRoot } from '../../helpers/prereq.js';
import { photosOf } from '../../helpers/tree.js';

/** A card whose reads of some files go wrong the way the test says. */
class FaultySource implements Source {
  constructor(
    private readonly inner: FolderSource,
    private readonly fault: (entry: SourceEntry, chunkIndex: number) => Promise<void> | void,
  ) {}
  get kind() {
    return this.inner.kind;
  }
  identify() {
    return this.inner.identify();
  }
  entries(onWarning: Parameters<Source['entries']>[0]) {
    return this.inner.entries(onWarning);
  }
  localPath(entry: SourceEntry) {
    return this.inner.localPath(entry);
  }
  async *read(entry: SourceEntry) {
    let i = 0;
    for await (const chunk of this.inner.read(entry)) {
      yield chunk;
      await this.fault(entry, ++i);
    }
  }
}

async function runWith(source: Source, vaults: string[], home: string) {
  const catalog = await openCatalog(home);
  const events: IngestEvent[] = [];
  const done = await ingest({ source, vaults, catalog, onEvent: (e) => events.push(e) });
  const errors = events.filter((e): e is IngestProblemEvent => e.event === 'error');
  return { done, events, errors, catalog };
}

describe('ingest with a failing source', () => {
  it('reports an EIO with the file path, backs up the rest, and records nothing for that file', async () => {
    const box = await setupBox({ captures: 3, jpeg: false, rawBytes: [5_000_000, 6_000_000] });
    const bad = box.shoot[1]!.relPath;
    const source = new FaultySource(new FolderSource(box.card), (entry) => {
      if (entry.relPath === bad)
        throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    });
    const { done, errors, catalog } = await runWith(source, [box.vaultA, box.vaultB], box.home);

    expect(done).toMatchObject({ files: 3, copied: 2, failed: 1, exitCode: 1 });
    expect(errors).toEqual([expect.objectContaining({ code: 'E_SOURCE_READ', path: bad })]);
    expect(errors[0]?.message).toContain(bad);
    const copied = [...(await photosOf(box.vaultA)).keys()];
    expect(copied).toHaveLength(2);
    expect(copied.some((p) => p.endsWith(bad))).toBe(false);
    expect(await fs.readdir(join(box.vaultA, '.fieldbackup', 'tmp'))).toEqual([]);
    expect(await fs.readdir(join(box.vaultB, '.fieldbackup', 'tmp'))).toEqual([]);
    const sourceId = [...catalog.allJobs()][0]!.sourceId;
    expect(catalog.file(sourceId, bad)).toBeUndefined();
  });

  it('notices a file that shrinks while it is read', async () => {
    const box = await setupBox({ captures: 2, jpeg: false, rawBytes: [9_000_000, 9_500_000] });
    const victim = box.shoot[0]!.relPath;
    const source = new FaultySource(new FolderSource(box.card), async (entry, chunk) => {
      if (entry.relPath === victim && chunk === 1)
        await fs.truncate(join(box.card, victim), 4_000_000);
    });
    const { done, errors } = await runWith(source, [box.vaultA, box.vaultB], box.home);
    expect(done).toMatchObject({ copied: 1, failed: 1, exitCode: 1 });
    expect(errors[0]).toMatchObject({ code: 'E_SOURCE_CHANGED', path: victim });
    expect([...(await photosOf(box.vaultB)).keys()].some((p) => p.endsWith(victim))).toBe(false);
  });

  it('notices a file that vanishes while it is read', async () => {
    const box = await setupBox({ captures: 2, jpeg: false, rawBytes: [9_000_000, 9_500_000] });
    const victim = box.shoot[1]!.relPath;
    const source = new FaultySource(new FolderSource(box.card), async (entry, chunk) => {
      if (entry.relPath === victim && chunk === 1) await fs.unlink(join(box.card, victim));
    });
    const { done, errors } = await runWith(source, [box.vaultA, box.vaultB], box.home);
    expect(done).toMatchObject({ copied: 1, failed: 1, exitCode: 1 });
    expect(errors[0]).toMatchObject({ code: 'E_SOURCE_MISSING', path: victim });
    expect(errors[0]?.message).toMatch(/vanished/);
  });

  it('reports a file it may not read (EACCES) and continues', async () => {
    const box = await setupBox({ captures: 2, jpeg: false });
    const locked = box.shoot[0]!.relPath;
    await fs.chmod(join(box.card, locked), 0o000);
    let stdout: string;
    let code = 0;
    if (isRoot()) {
      // Root reads anything: run the real CLI as nobody, so the kernel really says EACCES.
      execFileSync('chown', ['-R', '65534:65534', box.dir]);
      await fs.chmod(box.dir, 0o755);
      try {
        stdout = execFileSync(
          process.execPath,
          ['dist/src/cli/main.js', ...ingestArgv(box, '--json')],
          {
            uid: 65534,
            gid: 65534,
            encoding: 'utf8',
          },
        );
      } catch (err) {
        const e = err as { status: number; stdout: string };
        code = e.status;
        stdout = e.stdout;
      }
    } else {
      const r = await cli(ingestArgv(box, '--json'));
      code = r.code;
      stdout = r.stdout;
    }
    const events = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as IngestEvent);
    expect(code).toBe(1);
    expect(events.find((e) => e.event === 'error')).toMatchObject({
      code: 'E_SOURCE_DENIED',
      path: locked,
    });
    expect(events.find((e) => e.event === 'done')).toMatchObject({ copied: 1, failed: 1 });
  });

  it('treats any error a plugged-in source throws as that file failing', async () => {
    const box = await setupBox({ captures: 2, jpeg: false });
    const source = new FaultySource(new FolderSource(box.card), (entry) => {
      if (entry.relPath === box.shoot[0]!.relPath) throw new TypeError('camera driver bug');
    });
    const { done, errors } = await runWith(source, [box.vaultA, box.vaultB], box.home);
    expect(done).toMatchObject({ copied: 1, failed: 1 });
    expect(errors[0]?.message).toContain('camera driver bug');
  });

  it('fails with a usage error when the source does not exist', async () => {
    const box = await setupBox({ captures: 1 });
    const catalog = await openCatalog(box.home);
    await expect(
      ingest({ source: new FolderSource(join(box.dir, 'nope')), vaults: [box.vaultA], catalog }),
    ).rejects.toMatchObject({
      code: 'E_SOURCE_MISSING',
    });
  });

  it('copies a second card with the same files as a reformatted first one under new names', async () => {
    const box = await setupBox({ captures: 1, jpeg: false });
    const { done } = await runWith(new FolderSource(box.card), [box.vaultA, box.vaultB], box.home);
    expect(done.copied).toBe(1);
    await fs.rm(join(box.card, 'DCIM'), { recursive: true });
    await generateShoot(box.card, {
      seed: 5,
      captures: 1,
      rawBytes: [70_000, 80_000],
      jpeg: false,
    });
    const second = await runWith(new FolderSource(box.card), [box.vaultA, box.vaultB], box.home);
    expect(second.done).toMatchObject({ copied: 1, unchanged: 0, exitCode: 0 });
    expect(await photosOf(box.vaultA)).toHaveProperty('size', 2);
  });
});
