/**
 * The box runs `fieldbackup sync` and `fieldbackup ingest` on a small battery-powered computer:
 * a command must not load the libraries of other commands (libvips alone is 25 MB of RSS).
 * The built command runs with a module hook that logs every module it resolves.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/tmp.js';

const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
/** Libraries of the web page, the image decoder, the statechart and the metadata reader. */
const HEAVY = ['sharp', 'fastify', 'xstate', 'exiftool-vendored'];

async function modulesLoadedBy(args: readonly string[]): Promise<string[]> {
  const dir = await tempDir();
  const log = join(dir, 'resolved.txt');
  const hooks = join(dir, 'hooks.mjs');
  await fs.writeFile(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
  return r;
}
`,
  );
  const register = join(dir, 'register.mjs');
  await fs.writeFile(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  await promisify(execFile)(process.execPath, ['--import', register, CLI, ...args], {
    env: { ...process.env, FIELDBACKUP_HOME: join(dir, 'home') },
  }).catch((err: { code?: number }) => {
    // The commands below fail on purpose (no NAS, no card): only what they loaded counts.
    if (typeof err.code !== 'number') throw err;
  });
  return (await fs.readFile(log, 'utf8')).split('\n').filter(Boolean);
}

const heavyIn = (urls: readonly string[]): string[] =>
  HEAVY.filter((lib) => urls.some((u) => u.includes(`/node_modules/${lib}/`)));

describe('a command loads only what it needs', () => {
  it('sync loads the SFTP client and the catalog, not the image, web or camera libraries', async () => {
    const dir = await tempDir();
    const urls = await modulesLoadedBy(['sync', '--to', join(dir, 'not-a-vault'), '--json']);
    expect(urls.some((u) => u.includes('/dist/src/sync/'))).toBe(true);
    expect(urls.some((u) => u.includes('/node_modules/ssh2/'))).toBe(true);
    expect(heavyIn(urls)).toEqual([]);
  });

  it('the daemon, which runs everything, does load them (the check sees what is loaded)', async () => {
    const dir = await tempDir();
    const urls = await modulesLoadedBy(['daemon', '--config', join(dir, 'missing.yaml')]);
    expect(heavyIn(urls).sort()).toEqual([...HEAVY].sort());
  });
});
