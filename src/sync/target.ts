import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { FieldBackupError } from '../core/index.js';

/** Where a NAS vault is: a folder the OS mounted (SMB, NFS), or a folder on an SFTP server. */
export type SyncTarget =
  | { readonly kind: 'path'; readonly path: string }
  | {
      readonly kind: 'sftp';
      readonly user: string;
      readonly host: string;
      readonly port: number;
      /** Absolute, or relative to the user's home folder when the URL path starts with /~/. */
      readonly path: string;
    };

/**
 * Parses `--to`: a path, or sftp://user@host[:port]/absolute/path (sftp://host/~/photos for a
 * folder in the user's home). Bad input is an E_USAGE error naming the field.
 */
export function parseTarget(text: string, cwd = process.cwd()): SyncTarget {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    if (text.trim() === '') throw usage('an empty target');
    return { kind: 'path', path: resolve(cwd, text) };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usage(`"${text}" is not a valid URL`);
  }
  if (url.protocol !== 'sftp:')
    throw usage(`"${url.protocol}//" is not supported (use a mounted folder or sftp://)`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw usage(`"${text}" names no host`);
  const port = url.port === '' ? 22 : Number(url.port);
  const raw = decodeURIComponent(url.pathname);
  const path = raw.startsWith('/~/') ? raw.slice(3) : raw === '/~' ? '.' : raw;
  if (path === '' || path === '/')
    throw usage(`"${text}" names no folder (sftp://user@host/path/to/photos)`);
  if (url.password !== '')
    throw usage('passwords in the URL are not supported: the box logs in with an SSH key');
  return {
    kind: 'sftp',
    user: url.username === '' ? userInfo().username : decodeURIComponent(url.username),
    host,
    port,
    path: path.length > 1 ? path.replace(/\/+$/, '') : path,
  };
}

/** The canonical spelling of a target, as messages and the catalog show it. */
export function formatTarget(target: SyncTarget): string {
  if (target.kind === 'path') return target.path;
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  const path = target.path.startsWith('/') ? target.path : `/~/${target.path}`;
  return `sftp://${target.user}@${host}:${target.port}${path}`;
}

function usage(why: string): FieldBackupError {
  return new FieldBackupError('E_USAGE', `--to: ${why}`, { subject: { field: 'to' } });
}
