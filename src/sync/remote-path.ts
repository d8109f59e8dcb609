import { posix } from 'node:path';

/** A remote path that would leave the remote's root: a bug or hostile manifest, never followed. */
export function remotePathError(path: string): Error {
  return Object.assign(new Error(`remote path ${JSON.stringify(path)} leaves the vault`), {
    code: 'EINVAL',
  });
}

/** Joins a vault-relative path onto a remote root, refusing '..' segments. */
export function joinRemote(root: string, path: string): string {
  const parts = path.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.includes('..')) throw remotePathError(path);
  return parts.length === 0 ? root : posix.join(root, ...parts);
}

/** The folder part of a vault-relative path ('' for the root). */
export function remoteDirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function tooLarge(path: string, size: number, maxBytes: number): Error {
  return Object.assign(new Error(`${path} is ${size} bytes, more than the ${maxBytes} expected`), {
    code: 'EFBIG',
  });
}
