import type { SyncConfig } from './config.js';
import { nasAnswers } from './reachability.js';
import { parseTarget, type SyncTarget } from './target.js';

/** What the box knows when it considers syncing (the appliance reads them from its ports). */
export interface SyncFacts {
  /** The Wi-Fi network the box is on (NetworkState.currentSsid()), undefined when none. */
  readonly ssid: string | undefined;
  /** An ingest is running or a card is in: sync waits (and a running sync pauses). */
  readonly ingestRunning: boolean;
  /** Charge and power; undefined for a box without a battery gauge (mains powered). */
  readonly battery?: { readonly percent: number; readonly externalPower: boolean };
}

export type SyncBlocker =
  | 'not-configured'
  | 'ingest-running'
  | 'battery-low'
  | 'no-network'
  | 'unknown-network'
  | 'nas-unreachable';

export type SyncReadiness =
  | { readonly ready: true; readonly target: SyncTarget }
  | { readonly ready: false; readonly blocker: SyncBlocker; readonly detail: string };

/**
 * Whether the box may start syncing now: a target configured, no ingest running, enough
 * battery (or external power), a known Wi-Fi (any network when `networks` is empty: a wired
 * box), and the NAS answering. The cheap local checks come first; the NAS is asked last.
 */
export async function checkSyncReadiness(
  config: SyncConfig,
  facts: SyncFacts,
  answers: (target: SyncTarget) => Promise<boolean> = (t) => nasAnswers(t),
): Promise<SyncReadiness> {
  const blocked = (blocker: SyncBlocker, detail: string): SyncReadiness => ({
    ready: false,
    blocker,
    detail,
  });
  if (config.target === undefined) return blocked('not-configured', 'no sync.target in the config');
  if (facts.ingestRunning) return blocked('ingest-running', 'a card is being backed up');
  const b = facts.battery;
  if (b !== undefined && !b.externalPower && b.percent < config.minBatteryPercent)
    return blocked(
      'battery-low',
      `battery at ${Math.round(b.percent)} % (syncs above ${config.minBatteryPercent} % or on power)`,
    );
  if (config.networks.length > 0) {
    if (facts.ssid === undefined) return blocked('no-network', 'not on a Wi-Fi network');
    if (!config.networks.includes(facts.ssid))
      return blocked('unknown-network', `Wi-Fi "${facts.ssid}" is not one of sync.networks`);
  }
  const target = parseTarget(config.target);
  if (!(await answers(target)))
    return blocked('nas-unreachable', `the NAS at ${config.target} does not answer`);
  return { ready: true, target };
}

/** The sync options the config gives (target, key, host key, box name). */
export function syncOptionsFromConfig(config: SyncConfig): {
  readonly to: string | undefined;
  readonly identity: string | undefined;
  readonly hostKey: string | undefined;
  readonly boxName: string | undefined;
} {
  return {
    to: config.target,
    identity: config.identity,
    hostKey: config.hostKey,
    boxName: config.boxName,
  };
}
