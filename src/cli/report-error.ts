import { errorMessage, isFieldBackupError, type ErrorCode } from '../core/index.js';
import { QueryError } from '../restore/search/index.js';
import { EXIT_FAILED, EXIT_USAGE, jsonLine, type CliIo } from './io.js';

/** Errors that mean the command was asked for something wrong, not that a backup failed. */
const USAGE_CODES: ReadonlySet<ErrorCode> = new Set([
  'E_USAGE',
  'E_CONFIG',
  'E_NOT_A_VAULT',
  'E_VAULT_EXISTS',
  'E_BAD_TEMPLATE',
  'E_SOURCE_MISSING',
  'E_QUERY',
]);

/** Prints an error that ended a command and returns the exit code it means. */
export function reportFatal(io: CliIo, err: unknown, json: boolean): number {
  const code = isFieldBackupError(err) ? err.code : 'E_IO';
  const subject = isFieldBackupError(err) ? err.subject : {};
  if (json)
    jsonLine(io, {
      event: 'error',
      code,
      message: errorMessage(err),
      ...subject,
      ...(err instanceof QueryError ? { position: err.position } : {}),
      fatal: true,
    });
  else {
    io.stderr.write(`fieldbackup: ${errorMessage(err)}\n`);
    // Points at the problem in the query the user typed.
    if (err instanceof QueryError) io.stderr.write(`  ${err.pointer().replace('\n', '\n  ')}\n`);
  }
  return isFieldBackupError(err) && USAGE_CODES.has(err.code) ? EXIT_USAGE : EXIT_FAILED;
}
