import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initVault } from '../../../src/index.js';
import { cli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';
import { pair } from '../../helpers/web-box.js';

describe('fieldbackup web', () => {
  it('serves the page on the configured address, prints the pairing code, stops on Ctrl-C', async () => {
    const dir = await tempDir();
    const [a, b, home] = [join(dir, 'a'), join(dir, 'b'), join(dir, 'home')];
    await initVault(a, { label: 'SSD-A' });
    await initVault(b, { label: 'SSD-B' });
    const config = join(dir, 'box.yaml');
    await fs.writeFile(
      config,
      `version: 1\nvaults: [${JSON.stringify(a)}, ${JSON.stringify(b)}]\nweb:\n  listen: [127.0.0.1]\n`,
    );
    const stop = new AbortController();
    let listening: (value: { url: string; code: string }) => void = () => undefined;
    const ready = new Promise<{ url: string; code: string }>((done) => (listening = done));
    const run = cli(['web', '--config', config, '--home', home, '--port', '0', '--json'], {
      interrupt: stop.signal,
      onOutput: (out) => {
        const events = out
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>);
        const urls = events.find((e) => e['event'] === 'listening')?.['urls'] as
          string[] | undefined;
        const code = events.find((e) => e['event'] === 'pairing')?.['code'] as string | undefined;
        if (urls !== undefined && code !== undefined) listening({ url: urls[0]!, code });
      },
    });
    const { url, code } = await ready;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const status = (await (await fetch(new URL('/api/status', url))).json()) as { jobs: unknown[] };
    expect(status.jobs).toEqual([]);
    const page = await (await fetch(url)).text();
    expect(page).toContain('<main id="main"');
    // No CDN, no web font: every script and stylesheet is the box's own.
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
    await pair(url, { code });
    stop.abort();
    const done = await run;
    expect(done.code).toBe(0);
    // The code printed for the terminal is the screen's; the log lines never carry it.
    const logs = done.events.filter((e) => e['event'] === 'log').map((e) => JSON.stringify(e));
    expect(logs.join('\n')).not.toContain(code);
  });

  it('says what is wrong: no vault (exit 2), no mounted vault (exit 1), a bad port (exit 2)', async () => {
    const dir = await tempDir();
    const none = await cli(['web', '--home', join(dir, 'home')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no vault/);
    const missing = await cli([
      'web',
      '--home',
      join(dir, 'home'),
      '--vault',
      join(dir, 'nowhere'),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nowhere/);
    const port = await cli(['web', '--home', join(dir, 'home'), '--vault', dir, '--port', 'http']);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/--port/);
  });
});
