import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { generateShoot } from '../../fixtures/index.js';
import { initVault, type BoxStatus } from '../../src/index.js';
import { simulatedMedium } from '../drives/vault-medium.js';
import { SimulatedCamera } from '../ptp-camera/camera.js';
import type { SimulatedBox } from './box.js';
import { SIM_PINS, type SimulatedBoxOptions } from './box.js';

/** What a scenario gets: the running box, a place for files, and a way to narrate. */
export interface ScenarioRun {
  /** The box now (a scenario may restart it: power back after a shutdown). */
  sim: SimulatedBox;
  readonly dir: string;
  readonly say: (line: string) => void;
  /** Starts a box on the same folders (the catalog and vaults persist, as on the device). */
  readonly restart: (options?: Partial<SimulatedBoxOptions>) => Promise<SimulatedBox>;
}

export interface Scenario {
  readonly name: string;
  readonly about: string;
  /** The final state it must reach, in words. */
  readonly expected: string;
  readonly box?: (dir: string) => Promise<Partial<SimulatedBoxOptions>>;
  play(run: ScenarioRun): Promise<void>;
  /** What is wrong with the final state; empty when the box reached the expected one. */
  check(run: ScenarioRun): Promise<string[]>;
}

const CARD_LABEL = 'EOS_DIGITAL';
const DEFAULT_CAPTURES = 12;
/** What a USB 2 SSD writes, slower than most, so enough time to pull a card or drain a battery mid-copy. */
const USB2 = 10e6;
const MINUTE = 60_000;

/** A camera card made from fixtures (RAW + JPEG pairs with EXIF), `captures` shots. */
async function makeCard(
  dir: string,
  captures: number,
  rawBytes: [number, number],
): Promise<number> {
  const folder = join(dir, CARD_LABEL);
  await fs.rm(folder, { recursive: true, force: true });
  const files = await generateShoot(folder, { seed: 7, captures, rawBytes, jpeg: true });
  return files.length;
}

async function plugBoth(sim: SimulatedBox): Promise<void> {
  await sim.plugSsd('SSD-A');
  await sim.plugSsd('SSD-B');
  await sim.waitFor('both SSDs', (s) => s.vaults.filter((v) => v.present).length === 2);
}

function insertCard(run: ScenarioRun): void {
  run.sim.drives.insertCard(join(run.dir, CARD_LABEL), { label: CARD_LABEL });
  run.say('card inserted');
}

async function removeCard(run: ScenarioRun): Promise<BoxStatus> {
  await run.sim.drives.pullCard();
  run.say('card removed');
  return run.sim.waitFor('the box idle again', (s) => s.card.phase === 'none', MINUTE);
}

/** Files under a vault's Photos/ (the ASC MHL history left out). */
export async function photosOn(root: string): Promise<number> {
  const entries = await fs.readdir(join(root, 'Photos'), { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && !join(e.parentPath, e.name).includes('ascmhl')).length;
}

/** Temp files a copy left on a vault (the write protocol leaves none it has not recovered). */
async function halfWritten(root: string): Promise<number> {
  const tmp = await fs.readdir(join(root, '.fieldbackup', 'tmp')).catch(() => []);
  return tmp.length;
}

const expect = (problems: string[], ok: boolean, what: string): void => {
  if (!ok) problems.push(what);
};

const led = (sim: SimulatedBox, color: 'green' | 'amber' | 'red'): number =>
  sim.board.level(SIM_PINS[color]);

/** Both SSDs hold `files` files. */
async function onBothSsds(p: string[], run: ScenarioRun, files: number): Promise<void> {
  for (const v of ['ssd-a', 'ssd-b'])
    expect(
      p,
      (await photosOn(join(run.dir, v))) === files,
      `${v} does not hold all ${files} files`,
    );
}

/** The checks every card scenario shares: the card only ever mounted read-only, no half files. */
async function cardChecks(run: ScenarioRun, vaults: readonly string[]): Promise<string[]> {
  const p: string[] = [];
  const modes = run.sim.drives.mounts.filter((m) => m.device.startsWith('/dev/sdc'));
  expect(p, modes.length > 0, 'the card was never mounted');
  expect(
    p,
    modes.every((m) => m.mode === 'card'),
    'the card was mounted for writing',
  );
  expect(p, !run.sim.drives.mounted.has('/dev/sdc1'), 'the card is still mounted');
  for (const v of vaults)
    expect(p, (await halfWritten(join(run.dir, v))) === 0, `${v} holds half-written files`);
  expect(p, run.sim.frames.written.length > 0, 'no e-ink frame was drawn');
  return p;
}

const insertAndBackUp: Scenario = {
  name: 'default',
  about: 'a card is inserted, backed up to two SSDs, removed; the box is idle again',
  expected: 'idle, last card safe to format, every file on both SSDs, green heartbeat',
  async play(run) {
    const files = await makeCard(run.dir, DEFAULT_CAPTURES, [2e6, 6e6]);
    await plugBoth(run.sim);
    insertCard(run);
    const safe = await run.sim.waitFor(
      'safe to remove',
      (s) => s.card.phase === 'safe',
      3 * MINUTE,
    );
    run.say(
      `safe to remove: ${safe.card.job?.safeToFormat === true ? 'safe to format' : 'NOT safe to format'} (${files} files)`,
    );
    await removeCard(run);
  },
  async check(run) {
    const s = run.sim.status();
    const files = DEFAULT_CAPTURES * 2; // a RAW and a JPEG per shot
    const p = await cardChecks(run, ['ssd-a', 'ssd-b']);
    expect(
      p,
      s.mode === 'running' && s.card.phase === 'none',
      `box not idle (${s.mode}, ${s.card.phase})`,
    );
    expect(p, s.lastCard?.safeToFormat === true, 'the last card is not safe to format');
    expect(
      p,
      s.lastCard?.files === files,
      `last card: ${s.lastCard?.files} files, expected ${files}`,
    );
    await onBothSsds(p, run, files);
    expect(p, led(run.sim, 'red') === 0, 'red LED on');
    return p;
  },
};

const cardPulled: Scenario = {
  name: 'card-pulled',
  about: 'the card is pulled mid-copy, then put back: the backup resumes and finishes',
  expected: 'idle, the card backed up after resuming, nothing recorded half',
  box: (dir) =>
    Promise.resolve({
      vaultIo: simulatedMedium({ bytesPerSecond: USB2 }),
      frames: join(dir, 'frames'),
    }),
  async play(run) {
    await makeCard(run.dir, 20, [3e6, 5e6]);
    await plugBoth(run.sim);
    insertCard(run);
    await run.sim.waitFor('copying', (s) => (s.card.progress?.files ?? 0) >= 3, 3 * MINUTE);
    await run.sim.drives.pullCard();
    run.say('card pulled mid-copy');
    const pulled = await run.sim.waitFor('pulled', (s) => s.card.phase === 'pulled', MINUTE);
    run.say(
      `box says: ${pulled.card.problem ?? 'card pulled'}; red LED ${led(run.sim, 'red') === 1 ? 'on' : 'off'}`,
    );
    await run.sim.drives.reinsertCard(join(run.dir, CARD_LABEL), CARD_LABEL);
    run.say('card put back');
    await run.sim.waitFor('safe to remove', (s) => s.card.phase === 'safe', 3 * MINUTE);
    await removeCard(run);
  },
  async check(run) {
    const s = run.sim.status();
    const p = await cardChecks(run, ['ssd-a', 'ssd-b']);
    expect(p, s.card.phase === 'none', `card phase ${s.card.phase}`);
    expect(p, s.lastCard?.safeToFormat === true, 'the card is not safe to format after resuming');
    expect(p, s.lastCard?.files === 40, `last card: ${s.lastCard?.files} files, expected 40`);
    await onBothSsds(p, run, 40);
    return p;
  },
};

const oneSsdMissing: Scenario = {
  name: 'one-ssd-missing',
  about: "SSD-B's cable comes loose before the card goes in: one copy only, NOT safe to format",
  expected: 'idle, last card not safe to format, amber LED blinking (SSD missing)',
  async play(run) {
    await makeCard(run.dir, 8, [2e6, 4e6]);
    await plugBoth(run.sim);
    run.sim.drives.unplug('/dev/sdb');
    run.say('SSD-B unplugged');
    await run.sim.waitFor('SSD-B missing', (s) =>
      s.vaults.some((v) => v.label === 'SSD-B' && !v.present),
    );
    insertCard(run);
    const safe = await run.sim.waitFor(
      'safe to remove',
      (s) => s.card.phase === 'safe',
      3 * MINUTE,
    );
    run.say(
      `done: ${safe.card.job?.safeToFormat === true ? 'safe' : 'NOT safe'} to format; amber ${led(run.sim, 'amber') === 1 ? 'on' : 'off'}`,
    );
    await removeCard(run);
  },
  async check(run) {
    const s = run.sim.status();
    const p = await cardChecks(run, ['ssd-a', 'ssd-b']);
    expect(p, s.card.phase === 'none', `card phase ${s.card.phase}`);
    expect(p, s.lastCard?.safeToFormat === false, 'a card with one copy is called safe to format');
    expect(p, s.lastCard?.notSafe === 16, `not safe: ${s.lastCard?.notSafe}, expected 16`);
    expect(p, (await photosOn(join(run.dir, 'ssd-a'))) === 16, 'SSD-A does not hold all 16 files');
    expect(
      p,
      s.vaults.some((v) => v.label === 'SSD-B' && !v.present),
      'SSD-B not shown missing',
    );
    return p;
  },
};

const diskFull: Scenario = {
  name: 'disk-full',
  about: 'SSD-B fills up during the copy: SSD-A gets everything, the card is NOT safe to format',
  expected: 'idle, last card not safe to format, "no space" shown, every file on SSD-A',
  box: (dir) =>
    Promise.resolve({
      vaultIo: simulatedMedium({ full: { root: join(dir, 'ssd-b'), afterBytes: 12e6 } }),
    }),
  async play(run) {
    await makeCard(run.dir, 10, [2e6, 4e6]);
    await plugBoth(run.sim);
    insertCard(run);
    const safe = await run.sim.waitFor('done', (s) => s.card.phase === 'safe', 3 * MINUTE);
    run.say(
      `done: ${safe.card.job?.safeToFormat === true ? 'safe' : 'NOT safe'} to format; problem: ${safe.problems[0]?.message ?? 'none'}`,
    );
    await removeCard(run);
  },
  async check(run) {
    const s = run.sim.status();
    const p = await cardChecks(run, ['ssd-a', 'ssd-b']);
    expect(
      p,
      s.lastCard?.safeToFormat === false,
      'a card short of a copy is called safe to format',
    );
    expect(
      p,
      s.problems.some((x) => x.code === 'E_NO_SPACE'),
      'no "no space" problem shown',
    );
    expect(p, (await photosOn(join(run.dir, 'ssd-a'))) === 20, 'SSD-A does not hold all 20 files');
    return p;
  },
};

const lowBattery: Scenario = {
  name: 'low-battery',
  about:
    'on battery, the charge falls mid-copy: low warning, then a safe shutdown; power back, the backup resumes by itself',
  expected:
    'powered off for the battery with nothing half written, then after restart the card safe to format',
  box: () =>
    Promise.resolve({
      battery: { percent: 30, onMains: false },
      vaultIo: simulatedMedium({ bytesPerSecond: USB2 }),
    }),
  async play(run) {
    await makeCard(run.dir, 20, [3e6, 5e6]);
    await plugBoth(run.sim);
    insertCard(run);
    await run.sim.waitFor('copying', (s) => (s.card.progress?.files ?? 0) >= 2, 3 * MINUTE);
    run.sim.battery.set(18);
    await run.sim.waitFor('battery low', (s) => s.power.level === 'low', MINUTE);
    run.say(`battery 18 %: low (amber ${led(run.sim, 'amber') === 1 ? 'on' : 'blinking'})`);
    run.sim.battery.set(7);
    await run.sim.box.whenEnded();
    const last = run.sim.status().lastCard;
    run.say(
      `battery 7 %: box ${run.sim.status().mode} (${run.sim.poweredOff.join(', ')}); card ${run.sim.status().card.phase}, ${last === undefined ? 'no verdict' : last.interrupted ? 'not finished' : 'finished'}`,
    );
    const off = run.sim;
    await off.frames.flushed();
    const halves =
      (await halfWritten(join(run.dir, 'ssd-a'))) + (await halfWritten(join(run.dir, 'ssd-b')));
    if (halves > 0 || off.drives.mounted.has('/dev/sdc1') || off.poweredOff[0] !== 'battery')
      throw new Error('the shutdown was not safe (half files, card mounted or not powered off)');
    run.say('mains back: the box starts again, the card is still in');
    const sim = await run.restart({ battery: { percent: 9, onMains: true } });
    await sim.plugSsd('SSD-A');
    await sim.plugSsd('SSD-B');
    insertCard(run);
    const safe = await sim.waitFor('safe to remove', (s) => s.card.phase === 'safe', 3 * MINUTE);
    run.say(
      `resumed: ${safe.card.resumed === true ? 'yes' : 'no'}, safe to format: ${safe.card.job?.safeToFormat === true ? 'yes' : 'no'}`,
    );
  },
  async check(run) {
    const s = run.sim.status();
    const p = await cardChecks(run, ['ssd-a', 'ssd-b']);
    expect(p, s.card.phase === 'safe', `card phase ${s.card.phase}`);
    expect(p, s.card.resumed === true, 'the interrupted backup was not resumed');
    expect(p, s.card.job?.safeToFormat === true, 'the card is not safe to format after resuming');
    return p;
  },
};

const longPress: Scenario = {
  name: 'long-press',
  about: 'the button is held for 3 s mid-copy: safe shutdown and power-off',
  expected: 'powered off by the button, card unmounted, nothing half written',
  box: () =>
    Promise.resolve({ vaultIo: simulatedMedium({ bytesPerSecond: USB2 }), longPressMs: 1500 }),
  async play(run) {
    await makeCard(run.dir, 12, [3e6, 5e6]);
    await plugBoth(run.sim);
    insertCard(run);
    await run.sim.waitFor('copying', (s) => (s.card.progress?.files ?? 0) >= 2, 3 * MINUTE);
    run.say('button held');
    await run.sim.press(1800);
    await run.sim.box.whenEnded();
    run.say(`box ${run.sim.status().mode} (${run.sim.poweredOff.join(', ')})`);
  },
  async check(run) {
    const s = run.sim.status();
    const p = await cardChecks(run, ['ssd-a', 'ssd-b']);
    expect(
      p,
      s.mode === 'off' && s.shutdownReason === 'button',
      `mode ${s.mode} (${s.shutdownReason})`,
    );
    expect(p, run.sim.poweredOff.join() === 'button', 'not powered off once for the button');
    return p;
  },
};

const tetheredShoot: Scenario = {
  name: 'tethered-shoot',
  about: 'a camera on USB shoots 6 frames: each is secured on both SSDs as it is taken',
  expected: 'camera gone, tether idle, 6 shots secured on both SSDs',
  async play(run) {
    await plugBoth(run.sim);
    const shots = join(run.dir, 'shots');
    await generateShoot(shots, { seed: 11, captures: 6, rawBytes: [1e6, 3e6], folder: '.' });
    const camera = new SimulatedCamera({ vendor: 'generic', model: 'EOS R5', serial: '0123' });
    const device = run.sim.usb.plug(camera);
    run.say('camera connected by USB');
    await run.sim.waitFor('tethered', (s) => s.tether.phase === 'connected', MINUTE);
    for (const name of (await fs.readdir(shots)).sort()) {
      await camera.capture(join(shots, name));
      const n = run.sim.status().tether.shots + 1;
      await run.sim.waitFor(`shot ${n}`, (s) => s.tether.shots >= n, MINUTE);
      run.say(`shot ${n} secured: ${name}`);
    }
    run.sim.usb.unplug(device);
    run.say('camera unplugged');
    await run.sim.waitFor('tether idle', (s) => s.tether.phase === 'idle', MINUTE);
  },
  async check(run) {
    const s = run.sim.status();
    const p: string[] = [];
    expect(p, s.tether.phase === 'idle', `tether ${s.tether.phase}`);
    expect(
      p,
      s.tether.shots === 6 && s.tether.failed === 0,
      `${s.tether.shots} shots, ${s.tether.failed} failed`,
    );
    await onBothSsds(p, run, 6);
    return p;
  },
};

const homeWifiSync: Scenario = {
  name: 'home-wifi-sync',
  about:
    'a card backed up away from home; on the home Wi-Fi the box waits for the charger (battery below sync.minBatteryPercent), then syncs to the NAS by itself',
  expected: 'synced: the NAS vault holds every file of the card',
  box: async (dir) => {
    const nas = join(dir, 'nas');
    await initVault(nas, { label: 'NAS' });
    return {
      nas: { path: nas, homeSsid: 'Home', wifi: { manager: 'networkmanager', ssid: 'Cafe' } },
    };
  },
  async play(run) {
    await makeCard(run.dir, 8, [2e6, 4e6]);
    await plugBoth(run.sim);
    insertCard(run);
    await run.sim.waitFor('safe to remove', (s) => s.card.phase === 'safe', 3 * MINUTE);
    await removeCard(run);
    const away = run.sim.status().sync;
    run.say(`on Wi-Fi "Cafe": sync ${away.phase} (${away.waitingFor ?? ''})`);
    // Home on a low battery: the sync waits for sync.minBatteryPercent (30 %) or the charger.
    run.sim.battery.plug(false);
    run.sim.battery.set(40);
    await run.sim.walkTo({ manager: 'networkmanager', ssid: 'Home' });
    const low = await run.sim.waitFor(
      'sync waiting for the battery',
      (s) => s.sync.waitingFor?.includes('battery') === true,
      MINUTE,
    );
    run.say(`home: on Wi-Fi "Home", on battery: sync waits (${low.sync.waitingFor ?? ''})`);
    run.sim.battery.plug(true);
    run.say('charger plugged in');
    const synced = await run.sim.waitFor('synced', (s) => s.sync.phase === 'synced', 3 * MINUTE);
    // A later resync pushes nothing (it all is there): `pushed` counts the last run only.
    run.say(`synced: ${synced.sync.pushed ?? 0} files pushed to the NAS by the last run`);
  },
  async check(run) {
    const s = run.sim.status();
    const p = await cardChecks(run, ['ssd-a', 'ssd-b']);
    expect(p, s.sync.phase === 'synced', `sync ${s.sync.phase}`);
    expect(p, (await photosOn(join(run.dir, 'nas'))) === 16, 'the NAS does not hold all 16 files');
    return p;
  },
};

export const SCENARIOS: readonly Scenario[] = [
  insertAndBackUp,
  cardPulled,
  oneSsdMissing,
  diskFull,
  lowBattery,
  longPress,
  tetheredShoot,
  homeWifiSync,
];
