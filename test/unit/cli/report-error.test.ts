import { describe, expect, it } from 'vitest';
import { EXIT_FAILED, EXIT_USAGE } from '../../../src/cli/io.js';
import { reportFatal } from '../../../src/cli/report-error.js';
import { FieldBackupError, type ErrorCode } from '../../../src/core/index.js';
import { captureIo } from '../../helpers/unit-io.js';

describe('reportFatal', () => {
  it.each<ErrorCode>([
    'E_USAGE',
    'E_CONFIG',
    'E_NOT_A_VAULT',
    'E_VAULT_EXISTS',
    'E_BAD_TEMPLATE',
    'E_SOURCE_MISSING',
  ])('returns the usage exit code 2 for %s', (code) => {
    expect(reportFatal(captureIo(), new FieldBackupError(code, 'no'), false)).toBe(EXIT_USAGE);
    expect(EXIT_USAGE).toBe(2);
  });

  it.each<ErrorCode>(['E_IO', 'E_VAULT_LOCKED', 'E_NO_SPACE', 'E_CATALOG', 'E_VERIFY_MISMATCH'])(
    'returns exit code 1 for %s',
    (code) => {
      expect(reportFatal(captureIo(), new FieldBackupError(code, 'no'), false)).toBe(EXIT_FAILED);
      expect(EXIT_FAILED).toBe(1);
    },
  );

  it('returns 1 for an error that is not a FieldBackupError', () => {
    expect(reportFatal(captureIo(), new Error('bug'), false)).toBe(1);
    expect(reportFatal(captureIo(), 'thrown string', false)).toBe(1);
  });

  it('prints the message on stderr in text mode and nothing on stdout', () => {
    const io = captureIo();
    reportFatal(io, new FieldBackupError('E_VAULT_LOCKED', 'vault SSD-A is in use'), false);
    expect(io.err()).toBe('fieldbackup: vault SSD-A is in use\n');
    expect(io.out()).toBe('');
  });

  it('prints one JSON error line with code, message and subject in JSON mode', () => {
    const io = captureIo();
    const code = reportFatal(
      io,
      new FieldBackupError('E_NOT_A_VAULT', '/media/x is not a vault', {
        subject: { vault: '/media/x' },
      }),
      true,
    );
    expect(code).toBe(2);
    const lines = io
      .out()
      .split('\n')
      .filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      event: 'error',
      code: 'E_NOT_A_VAULT',
      message: '/media/x is not a vault',
      vault: '/media/x',
      fatal: true,
    });
  });

  it('reports a foreign error as E_IO in JSON mode', () => {
    const io = captureIo();
    reportFatal(io, new Error('unexpected'), true);
    expect(JSON.parse(io.out())).toMatchObject({
      event: 'error',
      code: 'E_IO',
      message: 'unexpected',
      fatal: true,
    });
  });
});
