import { and, assign, fromCallback, fromPromise, not, raise, setup, stateIn } from 'xstate';
import type { IngestDoneEvent, JobStatus } from '../core/index.js';
import type { BatteryReading, MountedVolume } from '../hardware/ports/index.js';
import type { ShutdownReason } from '../status/index.js';
import type { CardInsert } from './drive-router.js';
import type { SyncResult } from './sync-seam.js';

/** What the statechart asks of the box; the appliance wires the real parts, tests simulated ones. */
export interface BoxServices {
  readonly card: {
    inserted(card: CardInsert): void;
    mount(card: CardInsert): Promise<MountedVolume>;
    /** Backs the card up; calls `scanned` once it is listed and planned. */
    copy(
      mounted: MountedVolume,
      signal: AbortSignal,
      scanned: () => void,
    ): Promise<IngestDoneEvent>;
    verify(done: IngestDoneEvent): Promise<JobStatus>;
    unmount(mounted: MountedVolume): Promise<void>;
    /** After a pull or a failure: lets the copy stop, undoes the mount. */
    release(mounted: MountedVolume | undefined): Promise<void>;
    settled(phase: 'safe' | 'pulled' | 'unreadable' | 'failed', problem?: string): void;
    removed(): void;
    /** Whether the card's volume is still listed (it may leave while being unmounted). */
    present(device: string): boolean;
  };
  /** Runs the tethered camera until `signal`; reports connects and losses. */
  tether(signal: AbortSignal, report: (event: 'connected' | 'disconnected') => void): Promise<void>;
  /** One NAS sync run; stops early (resumable) on `signal`. */
  sync(signal: AbortSignal): Promise<SyncResult>;
  /** The safe shutdown: stop, let files in flight finish, commit, unmount, last frame, power off. */
  shutDown(reason: ShutdownReason): Promise<void>;
  /** The same without powering off (the service is stopped). */
  stop(): Promise<void>;
  refreshScreen(): void;
}

export interface BoxSettings {
  /** A new card is mounted once it has been there this long. */
  readonly settleMs: number;
  readonly tether: boolean;
  readonly sync: boolean;
  /** A lost camera's session ends after this long. */
  readonly cameraGraceMs: number;
  readonly lowPercent: number;
  readonly shutdownPercent: number;
  /** Back above low only at low + this (readings wobble under load). */
  readonly hysteresisPercent: number;
  /** After a sync: look again this much later. */
  readonly resyncMs: number;
  /** After a failed sync. */
  readonly syncRetryMs: number;
}

export type BoxEvent =
  | { type: 'CARD.INSERTED'; card: CardInsert }
  | { type: 'CARD.REMOVED'; device: string }
  | { type: 'CARD.SCANNED' }
  | { type: 'CARD.COPIED'; done: IngestDoneEvent }
  | { type: 'CARD.COPY_FAILED'; message: string }
  | { type: 'CAMERA.PRESENT' }
  | { type: 'CAMERA.ABSENT' }
  | { type: 'TETHER.CONNECTED' }
  | { type: 'TETHER.DISCONNECTED' }
  | { type: 'TETHER.ENDED' }
  /** The sync watch's verdict: a known Wi-Fi and the NAS answering (`home`), or not. */
  | { type: 'NETWORK'; home: boolean }
  | { type: 'SYNC.NEW_DATA' }
  | { type: 'POWER'; reading: BatteryReading }
  | { type: 'BUTTON.SHORT' }
  | { type: 'BUTTON.LONG' }
  | { type: 'SHUTDOWN'; reason: ShutdownReason }
  | { type: 'STOP' };

export interface BoxContext {
  card?: CardInsert;
  mounted?: MountedVolume;
  done?: IngestDoneEvent;
  problem?: string;
  reason?: ShutdownReason;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * The box as a statechart: four parallel regions — card (idle → detected → mounting →
 * scanning → copying → verifying → unmounting → safe to remove → removed; pulled, unreadable,
 * failed), tether, sync and power (mains / battery / low / critical) — and the way out: a
 * safe shutdown (battery critical, long press) or a stop (the service is stopped).
 */
export function createBoxMachine(services: BoxServices, settings: BoxSettings) {
  return setup({
    // xstate's way to type a machine; the rule cannot see that the assertion names the types.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    types: {} as { context: BoxContext; events: BoxEvent },
    actors: {
      mountCard: fromPromise<MountedVolume, CardInsert>(({ input }) => services.card.mount(input)),
      copyCard: fromCallback<BoxEvent, MountedVolume>(({ input, sendBack }) => {
        const stop = new AbortController();
        services.card
          .copy(input, stop.signal, () => sendBack({ type: 'CARD.SCANNED' }))
          .then(
            (done) => sendBack({ type: 'CARD.COPIED', done }),
            (err: unknown) => sendBack({ type: 'CARD.COPY_FAILED', message: message(err) }),
          );
        return () => stop.abort();
      }),
      verifyCard: fromPromise<JobStatus, IngestDoneEvent>(({ input }) =>
        services.card.verify(input),
      ),
      unmountCard: fromPromise<void, MountedVolume>(({ input }) => services.card.unmount(input)),
      releaseCard: fromPromise<void, MountedVolume | undefined>(({ input }) =>
        services.card.release(input),
      ),
      tether: fromCallback<BoxEvent>(({ sendBack }) => {
        const stop = new AbortController();
        const report = (e: 'connected' | 'disconnected'): void =>
          sendBack({ type: e === 'connected' ? 'TETHER.CONNECTED' : 'TETHER.DISCONNECTED' });
        void services.tether(stop.signal, report).finally(() => sendBack({ type: 'TETHER.ENDED' }));
        return () => stop.abort();
      }),
      sync: fromPromise<SyncResult>(({ signal }) => services.sync(signal)),
      shutDown: fromPromise<void, ShutdownReason>(({ input }) => services.shutDown(input)),
      stop: fromPromise<void>(() => services.stop()),
    },
    guards: {
      isThisCard: ({ context, event }) =>
        event.type === 'CARD.REMOVED' && event.device === context.card?.volume.device,
      cardGone: ({ context }) =>
        context.card !== undefined && !services.card.present(context.card.volume.device),
      tetherEnabled: () => settings.tether,
      syncEnabled: () => settings.sync,
      isHome: ({ event }) => event.type === 'NETWORK' && event.home,
      onMains: ({ event }) => event.type === 'POWER' && event.reading.onMains === true,
      critical: ({ event }) =>
        event.type === 'POWER' && event.reading.percent <= settings.shutdownPercent,
      low: ({ event }) => event.type === 'POWER' && event.reading.percent <= settings.lowPercent,
      belowRecovery: ({ event }) =>
        event.type === 'POWER' &&
        event.reading.percent < settings.lowPercent + settings.hysteresisPercent,
      powerLow: stateIn('#box.running.power.low'),
      cardBusy: stateIn('#box.running.card.ingesting'),
    },
    delays: {
      settle: settings.settleMs,
      cameraGrace: settings.cameraGraceMs,
      resync: settings.resyncMs,
      syncRetry: settings.syncRetryMs,
    },
    actions: {
      acceptCard: assign(({ event }) => {
        if (event.type !== 'CARD.INSERTED') return {};
        services.card.inserted(event.card);
        return { card: event.card, mounted: undefined, done: undefined, problem: undefined };
      }),
      noteProblem: assign(({ event }) => {
        if (event.type === 'CARD.COPY_FAILED') return { problem: event.message };
        const error = (event as { error?: unknown }).error;
        return { problem: error === undefined ? 'unknown error' : message(error) };
      }),
      cardRemoved: assign(() => {
        services.card.removed();
        return { card: undefined, mounted: undefined, done: undefined, problem: undefined };
      }),
    },
  }).createMachine({
    id: 'box',
    context: {},
    initial: 'running',
    states: {
      running: {
        type: 'parallel',
        on: {
          SHUTDOWN: {
            target: 'shuttingDown',
            actions: assign({ reason: ({ event }) => event.reason }),
          },
          'BUTTON.LONG': { target: 'shuttingDown', actions: assign({ reason: 'button' as const }) },
          'BUTTON.SHORT': { actions: () => services.refreshScreen() },
          STOP: { target: 'stopping', actions: assign({ reason: 'stop' as const }) },
        },
        states: {
          card: {
            initial: 'empty',
            states: {
              empty: { on: { 'CARD.INSERTED': { target: 'detected', actions: 'acceptCard' } } },
              detected: {
                after: { settle: 'mounting' },
                on: { 'CARD.REMOVED': { guard: 'isThisCard', target: 'removed' } },
              },
              mounting: {
                invoke: {
                  src: 'mountCard',
                  input: ({ context }) => context.card as CardInsert,
                  onDone: {
                    target: 'ingesting',
                    actions: assign({ mounted: ({ event }) => event.output }),
                  },
                  onError: { target: 'unreadable', actions: 'noteProblem' },
                },
                on: { 'CARD.REMOVED': { guard: 'isThisCard', target: 'removed' } },
              },
              ingesting: {
                initial: 'scanning',
                invoke: {
                  src: 'copyCard',
                  input: ({ context }) => context.mounted as MountedVolume,
                },
                on: {
                  'CARD.COPIED': {
                    target: 'verifying',
                    actions: assign({ done: ({ event }) => event.done }),
                  },
                  'CARD.COPY_FAILED': { target: 'failed', actions: 'noteProblem' },
                  'CARD.REMOVED': { guard: 'isThisCard', target: 'pulled' },
                },
                states: {
                  scanning: { on: { 'CARD.SCANNED': 'copying' } },
                  copying: {},
                },
              },
              verifying: {
                invoke: {
                  src: 'verifyCard',
                  input: ({ context }) => context.done as IngestDoneEvent,
                  onDone: [{ guard: 'cardGone', target: 'pulled' }, { target: 'unmounting' }],
                  onError: { target: 'failed', actions: 'noteProblem' },
                },
                on: { 'CARD.REMOVED': { guard: 'isThisCard', target: 'pulled' } },
              },
              unmounting: {
                invoke: {
                  src: 'unmountCard',
                  input: ({ context }) => context.mounted as MountedVolume,
                  onDone: 'safe',
                  onError: { target: 'safe', actions: 'noteProblem' },
                },
              },
              safe: {
                entry: [() => services.card.settled('safe'), raise({ type: 'SYNC.NEW_DATA' })],
                always: { guard: 'cardGone', target: 'removed' },
                on: { 'CARD.REMOVED': { guard: 'isThisCard', target: 'removed' } },
              },
              pulled: {
                entry: () => services.card.settled('pulled'),
                invoke: { src: 'releaseCard', input: ({ context }) => context.mounted },
                on: { 'CARD.INSERTED': { target: 'detected', actions: 'acceptCard' } },
              },
              unreadable: {
                entry: ({ context }) => services.card.settled('unreadable', context.problem),
                invoke: { src: 'releaseCard', input: ({ context }) => context.mounted },
                on: {
                  'CARD.REMOVED': { guard: 'isThisCard', target: 'removed' },
                  'CARD.INSERTED': { target: 'detected', actions: 'acceptCard' },
                },
              },
              failed: {
                entry: ({ context }) => services.card.settled('failed', context.problem),
                invoke: { src: 'releaseCard', input: ({ context }) => context.mounted },
                on: {
                  'CARD.REMOVED': { guard: 'isThisCard', target: 'removed' },
                  'CARD.INSERTED': { target: 'detected', actions: 'acceptCard' },
                },
              },
              removed: { entry: 'cardRemoved', always: 'empty' },
            },
          },
          tether: {
            initial: 'init',
            states: {
              init: { always: [{ guard: 'tetherEnabled', target: 'idle' }, { target: 'off' }] },
              off: {},
              idle: { on: { 'CAMERA.PRESENT': 'active' } },
              active: {
                invoke: { src: 'tether' },
                initial: 'connecting',
                on: { 'TETHER.ENDED': 'idle' },
                states: {
                  connecting: {
                    on: {
                      'TETHER.CONNECTED': 'connected',
                      'CAMERA.ABSENT': '#box.running.tether.idle',
                    },
                  },
                  connected: { on: { 'TETHER.DISCONNECTED': 'reconnecting' } },
                  reconnecting: {
                    on: { 'TETHER.CONNECTED': 'connected' },
                    after: { cameraGrace: '#box.running.tether.idle' },
                  },
                },
              },
            },
          },
          sync: {
            initial: 'init',
            states: {
              init: { always: [{ guard: 'syncEnabled', target: 'offline' }, { target: 'off' }] },
              off: {},
              offline: { on: { NETWORK: { guard: 'isHome', target: 'waiting' } } },
              waiting: {
                always: { guard: and([not('cardBusy'), not('powerLow')]), target: 'syncing' },
                on: { NETWORK: { guard: not('isHome'), target: 'offline' } },
              },
              syncing: {
                invoke: { src: 'sync', onDone: 'synced', onError: 'failed' },
                always: { guard: 'cardBusy', target: 'waiting' },
                on: { NETWORK: { guard: not('isHome'), target: 'offline' } },
              },
              synced: {
                after: { resync: 'waiting' },
                on: {
                  NETWORK: { guard: not('isHome'), target: 'offline' },
                  'SYNC.NEW_DATA': 'waiting',
                },
              },
              failed: {
                after: { syncRetry: 'waiting' },
                on: { NETWORK: { guard: not('isHome'), target: 'offline' } },
              },
            },
          },
          power: {
            initial: 'unknown',
            on: {
              POWER: [
                { guard: 'onMains', target: '.mains' },
                { guard: 'critical', target: '.critical' },
                { guard: 'low', target: '.low' },
                { guard: and(['powerLow', 'belowRecovery']), target: '.low' },
                { target: '.battery' },
              ],
            },
            states: {
              unknown: {},
              mains: {},
              battery: {},
              low: {},
              critical: { entry: raise({ type: 'SHUTDOWN', reason: 'battery' }) },
            },
          },
        },
      },
      shuttingDown: {
        invoke: {
          src: 'shutDown',
          input: ({ context }) => context.reason ?? 'button',
          onDone: 'off',
          onError: 'off',
        },
      },
      stopping: { invoke: { src: 'stop', onDone: 'stopped', onError: 'stopped' } },
      off: { type: 'final' },
      stopped: { type: 'final' },
    },
  });
}

export type BoxMachine = ReturnType<typeof createBoxMachine>;
