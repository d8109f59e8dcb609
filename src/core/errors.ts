/**
 * Every failure the box can report has a code from this closed list, the thing it concerns
 * (file, vault, device, config field) and whether trying again can help.
 */
export type ErrorCode =
  | 'E_USAGE'
  | 'E_CONFIG'
  | 'E_NOT_A_VAULT'
  | 'E_VAULT_EXISTS'
  | 'E_VAULT_MISSING'
  | 'E_VAULT_LOCKED'
  | 'E_VAULT_READ_ONLY'
  | 'E_NO_SPACE'
  /** A vault is below a tier's reserve: that tier's files get fewer copies or wait. */
  | 'E_LOW_SPACE'
  | 'E_SOURCE_MISSING'
  | 'E_SOURCE_READ'
  | 'E_SOURCE_DENIED'
  | 'E_SOURCE_CHANGED'
  | 'E_SYMLINK_OUTSIDE'
  | 'E_VERIFY_MISMATCH'
  | 'E_COPY_MISSING'
  | 'E_IO'
  | 'E_CATALOG'
  | 'E_BAD_TEMPLATE'
  | 'E_CANCELLED'
  // Tethered cameras (issue 6): a device that broke the protocol, went away, stayed busy, or
  // named an object in a way that could escape a folder.
  | 'E_PROTOCOL'
  | 'E_DEVICE_GONE'
  | 'E_DEVICE_BUSY'
  | 'E_UNSAFE_NAME'
  // The box (issue 7): a part that does not answer (screen, LED, gauge, button, drive listing),
  // and a card or SSD that cannot be mounted (unknown filesystem, damaged, pulled).
  | 'E_HARDWARE'
  | 'E_MOUNT'
  /** NAS sync: the NAS does not answer (network down, host off, share not mounted). */
  | 'E_UNREACHABLE'
  /** NAS sync: the SFTP server shows another host key than the one pinned on first use. */
  | 'E_HOST_KEY'
  /** NAS sync: the SFTP server refused the box's key. */
  | 'E_AUTH'
  | 'E_QUERY'
  | 'E_RESTORE_MISMATCH'
  /** Not a failure: what a restart found and repaired after an interruption. */
  | 'E_RECOVERED';

export interface ErrorSubject {
  /** A file path (on the source or in a vault). */
  readonly path?: string;
  /** A vault's label or root. */
  readonly vault?: string;
  readonly device?: string;
  /** A config or input field. */
  readonly field?: string;
}

export interface FieldBackupErrorOptions {
  readonly subject?: ErrorSubject;
  readonly retryable?: boolean;
  readonly cause?: unknown;
}

export class FieldBackupError extends Error {
  override readonly name = 'FieldBackupError';
  readonly code: ErrorCode;
  readonly subject: ErrorSubject;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: FieldBackupErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.subject = options.subject ?? {};
    this.retryable = options.retryable ?? false;
  }
}

export function isFieldBackupError(err: unknown, code?: ErrorCode): err is FieldBackupError {
  return err instanceof FieldBackupError && (code === undefined || err.code === code);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
