import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateShoot } from '../../../fixtures/index.js';
import { cli, doneOf } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';

async function card(dir: string): Promise<string> {
  const path = join(dir, 'card');
  await generateShoot(path, { seed: 3, captures: 2, rawBytes: [20_000, 40_000], jpeg: true });
  return path;
}

describe('fieldbackup CLI', () => {
  it('inits two vaults and ingests with --json: start first, done last with the counts', async () => {
    const dir = await tempDir();
    const source = await card(dir);
    expect((await cli(['vault', 'init', join(dir, 'a'), '--label', 'SSD-A'])).code).toBe(0);
    const init = await cli(['vault', 'init', join(dir, 'b'), '--json']);
    expect(init.events[0]).toMatchObject({ event: 'vault', label: 'b', formatVersion: 1 });

    const run = await cli([
      'ingest',
      source,
      '--vault',
      join(dir, 'a'),
      '--vault',
      join(dir, 'b'),
      '--home',
      join(dir, 'home'),
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect(run.events[0]).toMatchObject({ event: 'start', files: 4 });
    // `done` is the verdict on the copies; the metadata index reports last (the generated
    // "raws" are random bytes: backed up all the same, their metadata flagged unreadable).
    expect(run.events.at(-2)).toMatchObject({ event: 'indexed', files: 4, ok: 2, unreadable: 2 });
    // Stacks are looked for last, from the vault copies (two captures with a JPEG: no stack).
    expect(run.events.at(-1)).toMatchObject({ event: 'stacks', bursts: 0, brackets: 0, frames: 0 });
    expect(doneOf(run)).toMatchObject({
      event: 'done',
      files: 4,
      copied: 4,
      deduplicated: 0,
      failed: 0,
      exitCode: 0,
    });
    expect(run.events.filter((e) => e.event === 'file')).toHaveLength(4);
    expect(
      run.stdout
        .trim()
        .split('\n')
        .every((l) => l.startsWith('{')),
    ).toBe(true);
  });

  it('uses $FIELDBACKUP_HOME for the catalog when --home is not given', async () => {
    const dir = await tempDir();
    const source = await card(dir);
    await cli(['vault', 'init', join(dir, 'a')]);
    const env = { FIELDBACKUP_HOME: join(dir, 'env-home') };
    await cli(['ingest', source, '--vault', join(dir, 'a'), '--json'], { env });
    const again = await cli(['ingest', source, '--vault', join(dir, 'a'), '--json'], { env });
    expect(doneOf(again)).toMatchObject({
      unchanged: 4,
      bytesWritten: 0,
    });
    await expect(fs.stat(join(dir, 'env-home', 'catalog'))).resolves.toBeTruthy();
  });

  it('prints a progress bar and a verdict on a terminal', async () => {
    const dir = await tempDir();
    const source = await card(dir);
    await cli(['vault', 'init', join(dir, 'a')]);
    await cli(['vault', 'init', join(dir, 'b')]);
    const run = await cli(
      [
        'ingest',
        source,
        '--vault',
        join(dir, 'a'),
        '--vault',
        join(dir, 'b'),
        '--home',
        join(dir, 'h'),
      ],
      { tty: true },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\r\[#+-*\] \d+\/4 files/);
    expect(run.stdout).toMatch(/ETA/);
    expect(run.stdout).toContain('4 files: 4 copied');
    expect(run.stdout).toContain('safe to format');
  });

  it('says NOT safe to format and exits 1 when a vault is missing', async () => {
    const dir = await tempDir();
    const source = await card(dir);
    await cli(['vault', 'init', join(dir, 'a')]);
    const run = await cli([
      'ingest',
      source,
      '--vault',
      join(dir, 'a'),
      '--vault',
      join(dir, 'gone'),
      '--home',
      join(dir, 'h'),
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('NOT safe to format');
    expect(run.stdout).toMatch(/UNAVAILABLE/);
    expect(run.stderr).toMatch(/gone.*missing/);
  });

  it('exits 2 on bad usage, with a message naming what is wrong', async () => {
    const dir = await tempDir();
    const source = await card(dir);
    await cli(['vault', 'init', join(dir, 'a')]);
    const noVault = await cli(['ingest', source]);
    expect(noVault.code).toBe(2);
    expect(noVault.stderr).toMatch(/--vault/);

    const notAVault = await cli(['ingest', source, '--vault', source, '--home', join(dir, 'h')]);
    expect(notAVault.code).toBe(2);
    expect(notAVault.stderr).toMatch(/is not a vault.*vault init/);

    const noSource = await cli([
      'ingest',
      join(dir, 'nothing'),
      '--vault',
      join(dir, 'a'),
      '--home',
      join(dir, 'h'),
      '--json',
    ]);
    expect(noSource.code).toBe(2);
    expect(noSource.events[0]).toMatchObject({
      event: 'error',
      code: 'E_SOURCE_MISSING',
      fatal: true,
    });

    const badTemplate = await cli([
      'vault',
      'init',
      join(dir, 'c'),
      '--template',
      '{year}/{relpath}',
    ]);
    expect(badTemplate.code).toBe(2);
    expect(badTemplate.stderr).toMatch(/unknown token \{year\}/);

    const twice = await cli(['vault', 'init', join(dir, 'a')]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/already a vault/);

    expect((await cli(['frobnicate'])).code).toBe(2);
  });

  it('answers --help and --version with exit 0', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/ingest/);
    const version = await cli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('scrubs from the command line', async () => {
    const dir = await tempDir();
    const source = await card(dir);
    await cli(['vault', 'init', join(dir, 'a')]);
    await cli(['vault', 'init', join(dir, 'b')]);
    await cli([
      'ingest',
      source,
      '--vault',
      join(dir, 'a'),
      '--vault',
      join(dir, 'b'),
      '--home',
      join(dir, 'h'),
    ]);
    const scrubArgs = ['scrub', '--vault', join(dir, 'a'), '--vault', join(dir, 'b')];
    const human = await cli([...scrubArgs, '--home', join(dir, 'h')]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('8 copies checked: 8 good');
    const json = await cli([...scrubArgs, '--home', join(dir, 'h'), '--json']);
    expect(json.events.at(-1)).toMatchObject({ event: 'done', checked: 8, ok: 8, exitCode: 0 });

    // A file gone from both vaults behind the box's back: the copies and the ASC MHL histories say so.
    const listed = (await fs.readdir(join(dir, 'a', 'Photos'), { recursive: true })).find((p) =>
      p.endsWith('.JPG'),
    )!;
    for (const v of ['a', 'b']) await fs.rm(join(dir, v, 'Photos', listed));
    const broken = await cli([...scrubArgs, '--home', join(dir, 'h')]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(
      new RegExp(
        `ASC MHL: [^:]+: ${listed.replace(/[.]/g, '\\.')}: missing \\(listed in generation 1`,
      ),
    );
    expect(broken.stdout).toContain("2 disagreements with the vaults' ASC MHL histories");
  });

  it('runs as `npx fieldbackup` from the repository root', () => {
    const out = execFileSync('npx', ['--no-install', 'fieldbackup', '--version'], {
      encoding: 'utf8',
      cwd: process.cwd(),
    });
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
