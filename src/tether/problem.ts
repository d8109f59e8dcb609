import { errorMessage, isFieldBackupError, type IngestProblemEvent } from '../core/index.js';

/** A problem as an event: code, message and what it concerns. */
export function problemOf(err: unknown, level: 'warning' | 'error' = 'error'): IngestProblemEvent {
  const subject = isFieldBackupError(err) ? err.subject : {};
  return {
    event: level,
    code: isFieldBackupError(err) ? err.code : 'E_IO',
    message: errorMessage(err),
    ...(subject.path === undefined ? {} : { path: subject.path }),
    ...(subject.vault === undefined ? {} : { vault: subject.vault }),
  };
}
