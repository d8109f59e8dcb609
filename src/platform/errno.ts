import { FieldBackupError, type ErrorCode, type ErrorSubject } from '../core/index.js';

/** The errno of a Node system error, if it is one. */
export function errnoOf(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = err.code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** errno → FieldBackup code for a write to a vault: the one place that mapping lives. */
export function vaultErrorCode(err: unknown): ErrorCode {
  switch (errnoOf(err)) {
    case 'ENOSPC':
    case 'EDQUOT':
    case 'EFBIG':
      return 'E_NO_SPACE';
    case 'EROFS':
    case 'EACCES':
    case 'EPERM':
      return 'E_VAULT_READ_ONLY';
    case 'ENOENT':
    case 'ENOTDIR':
    case 'ENODEV':
    case 'ENXIO':
    case 'ESTALE':
      return 'E_VAULT_MISSING';
    default:
      return 'E_IO';
  }
}

/** errno → FieldBackup code for a read from a source. */
export function sourceErrorCode(err: unknown): ErrorCode {
  switch (errnoOf(err)) {
    case 'EACCES':
    case 'EPERM':
      return 'E_SOURCE_DENIED';
    case 'ENOENT':
    case 'ENOTDIR':
    case 'ENODEV':
    case 'ENXIO':
      return 'E_SOURCE_MISSING';
    default:
      return 'E_SOURCE_READ';
  }
}

const RETRYABLE = new Set(['EAGAIN', 'EBUSY', 'EINTR', 'ETIMEDOUT', 'ECONNRESET']);

/** Wraps any thrown value as a FieldBackupError with the given code and subject. */
export function wrapError(
  err: unknown,
  code: ErrorCode,
  message: string,
  subject: ErrorSubject,
): FieldBackupError {
  if (err instanceof FieldBackupError) return err;
  const errno = errnoOf(err);
  const detail = errno ?? (err instanceof Error ? err.message : String(err));
  return new FieldBackupError(code, `${message}: ${detail}`, {
    subject,
    cause: err,
    retryable: errno !== undefined && RETRYABLE.has(errno),
  });
}
