import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateShoot, prng } from '../../../fixtures/index.js';
import { makeBox, nasArchive, nasPhotos } from '../../helpers/sync-boxes.js';
import { photosOf } from '../../helpers/tree.js';
import { tempDir } from '../../helpers/tmp.js';

const POINTS = Number(process.env.SYNC_KILL_POINTS ?? 20);
const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

/** Runs the real CLI and kill -9s it once it printed `afterLines` lines, plus a jitter. */
function syncAndKill(args: string[], afterLines: number, jitterMs: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    let lines = 0;
    const kill = (): void => void setTimeout(() => child.kill('SIGKILL'), jitterMs);
    if (afterLines === 0) kill();
    child.stdout.on('data', (chunk: Buffer) => {
      const before = lines;
      lines += chunk.toString().split('\n').length - 1;
      if (before < afterLines && lines >= afterLines) kill();
    });
    child.on('exit', () => resolve());
  });
}

describe('sync crash safety', () => {
  it(`after kill -9 at ${POINTS} seeded points and a rerun, the NAS holds every file once, verified, nothing overwritten`, async () => {
    expect(existsSync(CLI), `${CLI} is built by "npm test" (npm run build)`).toBe(true);
    const dir = await tempDir('fb-sync-kill-');
    const box = await makeBox(dir, 'studio');
    const card = join(dir, 'EOS_R5_07');
    await generateShoot(card, {
      seed: 13,
      captures: 6,
      rawBytes: [300_000, 2_000_000],
      jpeg: true,
    });
    await box.ingest(card);
    await box.close();
    const ssd = await photosOf(box.vaults[0]!);
    const random = prng(20261126);
    for (let i = 0; i < POINTS; i++) {
      const nas = join(dir, `nas-${i}`);
      await fs.mkdir(nas);
      const args = ['sync', '--to', nas, '--init', '--home', box.home, '--json'];
      const inodes = new Map<number, string>();
      const ledger = async (): Promise<void> => {
        for (const d of await fs
          .readdir(join(nas, 'Photos'), { recursive: true, withFileTypes: true })
          .catch(() => [])) {
          if (!d.isFile()) continue;
          const st = await fs.stat(join(d.parentPath, d.name));
          const content = (await fs.readFile(join(d.parentPath, d.name))).toString('base64');
          expect(inodes.get(st.ino) ?? content, `point ${i}: ${d.name} changed in place`).toBe(
            content,
          );
          inodes.set(st.ino, content);
        }
      };
      const kills = random() < 0.3 ? 2 : 1;
      for (let k = 0; k < kills; k++) {
        await syncAndKill(
          args,
          Math.floor(random() * 14),
          Math.floor(random() * (random() < 0.3 ? 300 : 20)),
        );
        await ledger();
      }
      const finish = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, ...args], {
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.on('exit', (code) => resolve({ code, out }));
      });
      expect(finish.code, `point ${i}: ${finish.out.slice(-500)}`).toBe(0);
      await ledger();
      expect(await photosOf(nas), `point ${i}`).toEqual(ssd);
      const photos = await nasPhotos(nas);
      const archive = await nasArchive(nas);
      for (const [path, f] of photos)
        expect(archive.object(f.hash)?.path, `point ${i}: ${path}`).toBe(path);
      expect(archive.size).toBe(photos.size);
      expect(await fs.readdir(join(nas, '.fieldbackup', 'tmp'))).toEqual([]);
      expect(await fs.readdir(join(nas, '.fieldbackup', 'intents'))).toEqual([]);
    }
  }, 600_000);
});
