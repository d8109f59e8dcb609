import { describe, expect, it } from 'vitest';
import { errorMessage, FieldBackupError, isFieldBackupError } from '../../../src/core/index.js';

describe('FieldBackupError', () => {
  it('carries code, message, subject, retryable and cause', () => {
    const cause = new Error('EIO underneath');
    const err = new FieldBackupError('E_IO', 'write failed', {
      subject: { vault: 'SSD-A', path: '2026/a.CR2' },
      retryable: true,
      cause,
    });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('FieldBackupError');
    expect(err.code).toBe('E_IO');
    expect(err.message).toBe('write failed');
    expect(err.subject).toEqual({ vault: 'SSD-A', path: '2026/a.CR2' });
    expect(err.retryable).toBe(true);
    expect(err.cause).toBe(cause);
    expect(err.stack).toContain('write failed');
  });

  it('defaults to an empty subject, not retryable and no cause', () => {
    const err = new FieldBackupError('E_USAGE', 'bad flag');
    expect(err.subject).toEqual({});
    expect(err.retryable).toBe(false);
    expect('cause' in err).toBe(false);
  });
});

describe('isFieldBackupError', () => {
  const err = new FieldBackupError('E_VAULT_LOCKED', 'busy');

  it('recognises a FieldBackupError with or without a code', () => {
    expect(isFieldBackupError(err)).toBe(true);
    expect(isFieldBackupError(err, 'E_VAULT_LOCKED')).toBe(true);
  });

  it('is false for another code', () => {
    expect(isFieldBackupError(err, 'E_IO')).toBe(false);
  });

  it('is false for plain errors and non-errors, even with a matching code field', () => {
    const lookalike = Object.assign(new Error('busy'), { code: 'E_VAULT_LOCKED' });
    expect(isFieldBackupError(lookalike)).toBe(false);
    expect(isFieldBackupError(lookalike, 'E_VAULT_LOCKED')).toBe(false);
    expect(isFieldBackupError({ code: 'E_IO' })).toBe(false);
    expect(isFieldBackupError(undefined)).toBe(false);
  });
});

describe('errorMessage', () => {
  it('gives the message of an Error and the string form of anything else', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage(42)).toBe('42');
  });
});
