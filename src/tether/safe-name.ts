import { FieldBackupError } from '../core/index.js';

const MAX_SEGMENT_BYTES = 255;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a name from a device cannot be one segment of a path, or undefined when it can. A
 * camera (or anything claiming to be one) must never steer a write outside the vault: no
 * separators, no "." or "..", no NUL or control characters, no broken UTF-16.
 */
export function unsafeSegmentReason(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name === '.' || name === '..') return 'is a relative path step';
  if (/[/\\]/.test(name)) return 'contains a path separator';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'contains NUL or a control character';
  if (LONE_SURROGATE.test(name)) return 'is not valid Unicode';
  if (Buffer.byteLength(name) > MAX_SEGMENT_BYTES)
    return `is longer than ${MAX_SEGMENT_BYTES} bytes`;
  return undefined;
}

/** Joins device-supplied names into a relative path, or throws E_UNSAFE_NAME naming the bad one. */
export function safeRelPath(segments: readonly string[], device: string, what: string): string {
  for (const [i, segment] of segments.entries()) {
    const reason = unsafeSegmentReason(segment);
    if (reason !== undefined) {
      const role = i === segments.length - 1 ? 'name' : 'folder name';
      throw new FieldBackupError(
        'E_UNSAFE_NAME',
        `${what} ${JSON.stringify(segments.join('/'))}: the ${role} ${JSON.stringify(segment)} ${reason}; not backed up`,
        { subject: { device, path: JSON.stringify(segments.join('/')) } },
      );
    }
  }
  return segments.join('/');
}
