import { FieldBackupError } from '../core/index.js';
import type { PtpEvent, PtpRequest, PtpResponse } from './ptp/messages.js';

/**
 * One way of talking PTP to a camera (USB or PTP/IP). The session above it is the same for
 * both: it numbers transactions, runs one at a time and reads the datasets.
 */
export interface PtpTransport {
  readonly kind: 'usb' | 'ptpip';
  /** Where the camera is: "usb:1-1.3", "ptpip:192.168.1.20:15740". */
  readonly location: string;
  /**
   * Runs one transaction: yields the bytes of its data phase (camera → host) as they arrive,
   * returns the response. Leaving the loop early drains the rest, so the link stays usable.
   */
  transaction(request: PtpRequest): AsyncGenerator<Uint8Array, PtpResponse, undefined>;
  /** The next event from the camera's event pipe; undefined when none came within `timeoutMs`. */
  nextEvent(timeoutMs: number): Promise<PtpEvent | undefined>;
  close(): Promise<void>;
}

/** The link to the camera is gone (cable pulled, Wi-Fi lost, camera off or silent). */
export function deviceGone(location: string, detail: string, cause?: unknown): FieldBackupError {
  return new FieldBackupError('E_DEVICE_GONE', `camera at ${location}: ${detail}`, {
    subject: { device: location },
    retryable: true,
    cause,
  });
}

/** Errors after which the link cannot be trusted: reconnect, then resume. */
export function breaksLink(err: unknown): boolean {
  return (
    err instanceof FieldBackupError && (err.code === 'E_DEVICE_GONE' || err.code === 'E_PROTOCOL')
  );
}

/** The same error, naming the camera it came from. */
export function fromDevice(err: unknown, location: string): unknown {
  if (!(err instanceof FieldBackupError) || err.subject.device !== undefined) return err;
  return new FieldBackupError(err.code, `camera at ${location}: ${err.message}`, {
    subject: { ...err.subject, device: location },
    retryable: err.retryable,
    cause: err.cause,
  });
}
