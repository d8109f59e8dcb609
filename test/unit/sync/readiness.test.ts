import * as fs from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseConfig } from '../../../src/appliance/config/index.js';
import {
  checkSyncReadiness,
  nasAnswers,
  parseTarget,
  syncConfigSchema,
  syncOptionsFromConfig,
} from '../../../src/sync/index.js';
import { tempDir } from '../../helpers/tmp.js';

const config = (over: Record<string, unknown> = {}) =>
  syncConfigSchema.parse({
    target: 'sftp://photos@nas.local/volume1/photos',
    networks: ['Home', 'Studio'],
    ...over,
  });
const answers = (yes: boolean) => () => Promise.resolve(yes);
const home = { ssid: 'Home', ingestRunning: false };

describe('when the box may sync', () => {
  it('on a known network, no ingest, battery fine, the NAS answering', async () => {
    expect(await checkSyncReadiness(config(), home, answers(true))).toMatchObject({
      ready: true,
      target: { kind: 'sftp', host: 'nas.local' },
    });
    expect(
      await checkSyncReadiness(
        config(),
        { ...home, battery: { percent: 12, externalPower: true } },
        answers(true),
      ),
    ).toMatchObject({ ready: true });
  });

  it('says why not, cheapest reason first', async () => {
    const cases: [Parameters<typeof checkSyncReadiness>[1], ReturnType<typeof config>, string][] = [
      [home, syncConfigSchema.parse({}), 'not-configured'],
      [{ ...home, ingestRunning: true }, config(), 'ingest-running'],
      [{ ...home, battery: { percent: 20, externalPower: false } }, config(), 'battery-low'],
      [{ ssid: undefined, ingestRunning: false }, config(), 'no-network'],
      [{ ssid: 'Hotel', ingestRunning: false }, config(), 'unknown-network'],
      [home, config(), 'nas-unreachable'],
    ];
    for (const [facts, cfg, blocker] of cases) {
      const r = await checkSyncReadiness(cfg, facts, answers(false));
      expect(r, blocker).toMatchObject({ ready: false, blocker });
    }
    const wired = await checkSyncReadiness(
      config({ networks: [] }),
      { ssid: undefined, ingestRunning: false },
      answers(true),
    );
    expect(wired.ready).toBe(true);
  });

  it('an SFTP NAS answers when it sends an SSH banner; a mounted share when its vault marker shows', async () => {
    const banner = await listen((s) => s.end('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'));
    const http = await listen((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    const silent = await listen(() => undefined);
    const at = (server: Server) =>
      parseTarget(`sftp://u@127.0.0.1:${(server.address() as { port: number }).port}/p`);
    expect(await nasAnswers(at(banner))).toBe(true);
    expect(await nasAnswers(at(http))).toBe(false);
    expect(await nasAnswers(at(silent), 300)).toBe(false);
    const closed = at(banner);
    await new Promise((r) => banner.close(r));
    expect(await nasAnswers(closed)).toBe(false);
    const dir = await tempDir();
    expect(await nasAnswers({ kind: 'path', path: dir })).toBe(false);
    await fs.writeFile(join(dir, 'fieldbackup-vault.json'), '{}');
    expect(await nasAnswers({ kind: 'path', path: dir })).toBe(true);
  });
});

describe('the sync section of the config', () => {
  it('is one key of the box config, with defaults', () => {
    const c = parseConfig('version: 1\nsync:\n  target: /mnt/nas/photos\n  networks: [Home]\n');
    expect(c.sync).toMatchObject({
      target: '/mnt/nas/photos',
      networks: ['Home'],
      minBatteryPercent: 30,
    });
    expect(parseConfig('version: 1').sync).toMatchObject({ networks: [] });
    expect(syncOptionsFromConfig(config({ identity: '/k', boxName: 'studio' }))).toEqual({
      to: 'sftp://photos@nas.local/volume1/photos',
      identity: '/k',
      hostKey: undefined,
      boxName: 'studio',
    });
  });

  it('bad values name the field', () => {
    expect(() => parseConfig('version: 1\nsync:\n  target: ftp://nas/x\n', 'box.yaml')).toThrow(
      /box.yaml: field "sync.target": .*not supported/,
    );
    expect(() => parseConfig('version: 1\nsync:\n  hostKey: nope\n')).toThrow(
      /field "sync.hostKey"/,
    );
    expect(() => parseConfig('version: 1\nsync:\n  netwroks: [Home]\n')).toThrow(/sync/);
    expect(() => parseConfig('version: 1\nsync:\n  minBatteryPercent: 130\n')).toThrow(
      /sync.minBatteryPercent/,
    );
  });
});

async function listen(onConnection: (socket: Socket) => void): Promise<Server> {
  const server = createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return server;
}
