import { describe, expect, it } from 'vitest';
import { FieldBackupError } from '../../../src/core/index.js';
import {
  errnoOf,
  sourceErrorCode,
  vaultErrorCode,
  wrapError,
} from '../../../src/platform/index.js';

const sysErr = (code: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: something`), { code });

describe('errnoOf', () => {
  it('reads the string code of a system error', () => {
    expect(errnoOf(sysErr('ENOSPC'))).toBe('ENOSPC');
  });

  it('is undefined for values without a string code', () => {
    expect(errnoOf(new Error('x'))).toBeUndefined();
    expect(errnoOf({ code: 28 })).toBeUndefined();
    expect(errnoOf(null)).toBeUndefined();
    expect(errnoOf('ENOSPC')).toBeUndefined();
  });
});

describe('vaultErrorCode', () => {
  it.each([
    ['ENOSPC', 'E_NO_SPACE'],
    ['EDQUOT', 'E_NO_SPACE'],
    ['EFBIG', 'E_NO_SPACE'],
    ['EROFS', 'E_VAULT_READ_ONLY'],
    ['EACCES', 'E_VAULT_READ_ONLY'],
    ['EPERM', 'E_VAULT_READ_ONLY'],
    ['ENOENT', 'E_VAULT_MISSING'],
    ['ENOTDIR', 'E_VAULT_MISSING'],
    ['ENODEV', 'E_VAULT_MISSING'],
    ['ENXIO', 'E_VAULT_MISSING'],
    ['ESTALE', 'E_VAULT_MISSING'],
    ['EIO', 'E_IO'],
  ])('%s → %s', (errno, code) => {
    expect(vaultErrorCode(sysErr(errno))).toBe(code);
  });

  it('maps a non-system error to E_IO', () => {
    expect(vaultErrorCode(new Error('weird'))).toBe('E_IO');
  });
});

describe('sourceErrorCode', () => {
  it.each([
    ['EACCES', 'E_SOURCE_DENIED'],
    ['EPERM', 'E_SOURCE_DENIED'],
    ['ENOENT', 'E_SOURCE_MISSING'],
    ['ENOTDIR', 'E_SOURCE_MISSING'],
    ['ENODEV', 'E_SOURCE_MISSING'],
    ['ENXIO', 'E_SOURCE_MISSING'],
    ['EIO', 'E_SOURCE_READ'],
    ['ENOSPC', 'E_SOURCE_READ'],
  ])('%s → %s', (errno, code) => {
    expect(sourceErrorCode(sysErr(errno))).toBe(code);
  });

  it('maps a non-system error to E_SOURCE_READ', () => {
    expect(sourceErrorCode('boom')).toBe('E_SOURCE_READ');
  });
});

describe('wrapError', () => {
  it('wraps a system error with code, subject, cause and the errno in the message', () => {
    const cause = sysErr('EIO');
    const err = wrapError(cause, 'E_IO', 'write to a.CR2 failed', { vault: 'SSD-A', path: 'a' });
    expect(err).toBeInstanceOf(FieldBackupError);
    expect(err.code).toBe('E_IO');
    expect(err.message).toBe('write to a.CR2 failed: EIO');
    expect(err.subject).toEqual({ vault: 'SSD-A', path: 'a' });
    expect(err.cause).toBe(cause);
    expect(err.retryable).toBe(false);
  });

  it.each(['EAGAIN', 'EBUSY', 'EINTR', 'ETIMEDOUT', 'ECONNRESET'])(
    'marks %s as retryable',
    (errno) => {
      expect(wrapError(sysErr(errno), 'E_IO', 'x', {}).retryable).toBe(true);
    },
  );

  it.each(['ENOSPC', 'EROFS', 'ENOENT'])('does not mark %s as retryable', (errno) => {
    expect(wrapError(sysErr(errno), 'E_IO', 'x', {}).retryable).toBe(false);
  });

  it('uses the message of a plain error and the string of a non-error', () => {
    expect(wrapError(new Error('disk on fire'), 'E_IO', 'copy', {}).message).toBe(
      'copy: disk on fire',
    );
    const fromString = wrapError('odd', 'E_IO', 'copy', {});
    expect(fromString.message).toBe('copy: odd');
    expect(fromString.retryable).toBe(false);
  });

  it('returns a FieldBackupError unchanged', () => {
    const original = new FieldBackupError('E_SOURCE_CHANGED', 'changed', { retryable: true });
    expect(wrapError(original, 'E_IO', 'x', { path: 'other' })).toBe(original);
  });
});
