import { createHash } from 'node:crypto';
import type { PinnedHostKey } from '../catalog/index.js';
import { FieldBackupError } from '../core/index.js';

/** Where pinned host keys are kept (the catalog's sync store). */
export interface HostKeyStore {
  hostKey(host: string): PinnedHostKey | undefined;
  pinHostKey(record: PinnedHostKey): Promise<void>;
}

/** The key an SFTP server showed: its algorithm and OpenSSH-style SHA256 fingerprint. */
export interface SeenHostKey {
  readonly algorithm: string;
  readonly fingerprint: string;
}

export function describeHostKey(blob: Buffer): SeenHostKey {
  const len = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  const algorithm = blob.subarray(4, 4 + len).toString('latin1') || 'unknown';
  const fingerprint = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
  return { algorithm, fingerprint };
}

export type HostKeyVerdict = 'pinned' | 'first-use' | 'expected';

/**
 * Trust on first use, then only that key: a NAS that shows another key is refused (it may be
 * an impostor on the home network). `expected` (the fingerprint the user read off the NAS)
 * overrides the pin when it matches, so a reinstalled NAS can be pinned again deliberately.
 */
export function checkHostKey(
  host: string,
  seen: SeenHostKey,
  pinned: PinnedHostKey | undefined,
  expected: string | undefined,
): HostKeyVerdict {
  if (expected !== undefined) {
    if (normalizeFingerprint(expected) === seen.fingerprint) return 'expected';
    throw new FieldBackupError(
      'E_HOST_KEY',
      `${host} shows host key ${seen.fingerprint} (${seen.algorithm}), not the expected ${expected}; not connecting`,
      { subject: { device: host, field: 'hostKey' } },
    );
  }
  if (pinned === undefined) return 'first-use';
  if (pinned.fingerprint === seen.fingerprint) return 'pinned';
  throw new FieldBackupError(
    'E_HOST_KEY',
    `${host} shows host key ${seen.fingerprint} (${seen.algorithm}) but ${pinned.fingerprint} (${pinned.algorithm}) was pinned on ${new Date(pinned.pinnedAt).toISOString()}; ` +
      `not connecting (if the NAS was reinstalled, check its new key and pass it with --host-key)`,
    { subject: { device: host, field: 'hostKey' } },
  );
}

function normalizeFingerprint(text: string): string {
  const t = text.trim().replace(/=+$/, '');
  return t.startsWith('SHA256:') ? t : `SHA256:${t}`;
}
