import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import {
  createBoxMachine,
  machineView,
  type BoxServices,
  type BoxSettings,
  type ShutdownReason,
} from '../../../src/index.js';

const SETTINGS: BoxSettings = {
  settleMs: 0,
  tether: false,
  sync: true,
  cameraGraceMs: 1000,
  lowPercent: 20,
  shutdownPercent: 8,
  hysteresisPercent: 3,
  resyncMs: 60_000,
  syncRetryMs: 60_000,
};

/** The statechart with services that only record what they are asked (no hardware, no disk). */
function box() {
  const shutdowns: ShutdownReason[] = [];
  const syncs: AbortSignal[] = [];
  const services: BoxServices = {
    card: {
      inserted: () => undefined,
      mount: () => Promise.reject(new Error('no card in these tests')),
      copy: () => Promise.reject(new Error('no card')),
      verify: () => Promise.reject(new Error('no card')),
      unmount: () => Promise.resolve(),
      release: () => Promise.resolve(),
      settled: () => undefined,
      removed: () => undefined,
      present: () => false,
    },
    tether: () => Promise.resolve(),
    sync: (signal) => {
      syncs.push(signal);
      return new Promise(() => undefined); // runs until stopped
    },
    shutDown: (reason) => {
      shutdowns.push(reason);
      return Promise.resolve();
    },
    stop: () => Promise.resolve(),
    refreshScreen: () => undefined,
  };
  const actor = createActor(createBoxMachine(services, SETTINGS));
  actor.start();
  const view = () => machineView(actor.getSnapshot());
  const power = (percent: number, onMains = false) =>
    actor.send({ type: 'POWER', reading: { percent, volts: 7.4, onMains } });
  return { actor, view, power, shutdowns, syncs };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the box statechart: power and sync regions', () => {
  it('on battery: low at the threshold, back to normal only above it plus the hysteresis, safe shutdown when critical', async () => {
    const b = box();
    b.power(50);
    expect(b.view()).toMatchObject({ mode: 'running', powerLevel: 'ok' });
    b.power(19);
    expect(b.view().powerLevel).toBe('low');
    b.power(21); // a wobble under load: still low
    expect(b.view().powerLevel).toBe('low');
    b.power(24);
    expect(b.view().powerLevel).toBe('ok');
    b.power(7);
    expect(b.view()).toMatchObject({ mode: 'shutting-down', shutdownReason: 'battery' });
    await settle();
    expect(b.shutdowns).toEqual(['battery']);
    expect(b.actor.getSnapshot().status).toBe('done');
  });

  it('on mains a low charge is no reason to shut down', () => {
    const b = box();
    b.power(5, true);
    expect(b.view()).toMatchObject({ mode: 'running', powerLevel: 'ok' });
    expect(b.shutdowns).toEqual([]);
  });

  it('a long press shuts down safely, a short one only redraws', async () => {
    const b = box();
    b.actor.send({ type: 'BUTTON.SHORT' });
    expect(b.view().mode).toBe('running');
    b.actor.send({ type: 'BUTTON.LONG' });
    await settle();
    expect(b.shutdowns).toEqual(['button']);
    expect(b.view()).toMatchObject({ mode: 'off', shutdownReason: 'button' });
  });

  it('syncs at home, pauses when the battery is low, stops when the box leaves home', () => {
    const b = box();
    expect(b.view().sync).toBe('offline');
    b.actor.send({ type: 'NETWORK', home: true });
    expect(b.view().sync).toBe('syncing');
    expect(b.syncs).toHaveLength(1);
    b.power(15);
    b.actor.send({ type: 'NETWORK', home: false });
    expect(b.view().sync).toBe('offline');
    expect(b.syncs[0]?.aborted).toBe(true);
    b.actor.send({ type: 'NETWORK', home: true });
    expect(b.view().sync).toBe('waiting'); // battery low: waits
    b.power(40);
    expect(b.view().sync).toBe('syncing');
  });
});
