import type { SnapshotFrom } from 'xstate';
import type {
  BoxMode,
  CardPhase,
  PowerLevel,
  ShutdownReason,
  SyncPhase,
  TetherPhase,
} from '../status/index.js';
import type { BoxMachine } from './box-machine.js';

/** The phases the status shows, read from the statechart (the one source of them). */
export interface MachineView {
  readonly mode: BoxMode;
  readonly shutdownReason?: ShutdownReason;
  readonly card: CardPhase;
  readonly tether: TetherPhase;
  readonly sync: SyncPhase;
  readonly powerLevel: PowerLevel;
}

const CARD_STATES: Readonly<Record<string, CardPhase>> = {
  empty: 'none',
  detected: 'detected',
  mounting: 'mounting',
  verifying: 'verifying',
  unmounting: 'unmounting',
  safe: 'safe',
  pulled: 'pulled',
  unreadable: 'unreadable',
  failed: 'failed',
  removed: 'none',
};

type Value = string | { readonly [key: string]: Value };

const child = (value: Value | undefined, key: string): Value | undefined =>
  typeof value === 'object' ? value[key] : undefined;

/** The name of a region's active state, and of its active child when it has one. */
function stateName(value: Value | undefined): [string, string | undefined] {
  if (typeof value === 'string') return [value, undefined];
  if (value === undefined) return ['', undefined];
  const [name, inner] = Object.entries(value)[0] ?? ['', undefined];
  return [name, typeof inner === 'string' ? inner : undefined];
}

export function machineView(snapshot: SnapshotFrom<BoxMachine>): MachineView {
  const value = snapshot.value as Value;
  const reason = snapshot.context.reason;
  const withReason = reason === undefined ? {} : { shutdownReason: reason };
  const top = typeof value === 'string' ? value : (Object.keys(value)[0] ?? '');
  const base = { card: 'none', tether: 'off', sync: 'off', powerLevel: 'ok' } as const;
  if (top === 'shuttingDown') return { ...base, mode: 'shutting-down', ...withReason };
  if (top === 'off') return { ...base, mode: 'off', ...withReason };
  if (top === 'stopping' || top === 'stopped') return { ...base, mode: 'stopped', ...withReason };
  const running = child(value, 'running');
  const [card, cardInner] = stateName(child(running, 'card'));
  const [tether, tetherInner] = stateName(child(running, 'tether'));
  const [sync] = stateName(child(running, 'sync'));
  const [power] = stateName(child(running, 'power'));
  return {
    mode: 'running',
    card:
      card === 'ingesting'
        ? cardInner === 'copying'
          ? 'copying'
          : 'scanning'
        : (CARD_STATES[card] ?? 'none'),
    tether:
      tether === 'active'
        ? ((tetherInner as TetherPhase | undefined) ?? 'connecting')
        : tether === 'idle'
          ? 'idle'
          : 'off',
    sync: sync === 'init' ? 'off' : (sync as SyncPhase),
    powerLevel: power === 'low' ? 'low' : power === 'critical' ? 'critical' : 'ok',
  };
}
