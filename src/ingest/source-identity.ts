import type { Catalog } from '../catalog/index.js';
import type { Source, SourceEntry, SourceId, SourceIdentity } from '../core/index.js';
import { hashBytes, Xxh128 } from '../platform/index.js';

const FINGERPRINT_FILES = 3;
const FINGERPRINT_BYTES = 64 * 1024;
const MAX_INCARNATIONS = 1000;

/**
 * Hashes the names, sizes and first 64 KiB of the first few files: cheap, and different
 * after a card was reformatted and shot again even when its volume UUID stayed the same.
 */
export async function fingerprint(
  source: Source,
  entries: readonly SourceEntry[],
): Promise<string> {
  const h = new Xxh128();
  for (const entry of entries.slice(0, FINGERPRINT_FILES)) {
    h.update(Buffer.from(`${entry.relPath}\u0000${entry.size}\u0000`));
    let taken = 0;
    try {
      for await (const chunk of source.read(entry)) {
        const part = chunk.subarray(0, FINGERPRINT_BYTES - taken);
        h.update(part);
        taken += part.byteLength;
        if (taken >= FINGERPRINT_BYTES) break;
      }
    } catch {
      // An unreadable file is reported by the copy itself; it still counts by name and size here.
    }
  }
  return h.digest();
}

/**
 * A source's id: derived from what identifies it (card: UUID, label, capacity; folder: its
 * path), plus an incarnation number when the same card shows a new fingerprint.
 */
export function resolveSourceId(catalog: Catalog, identity: SourceIdentity): SourceId {
  const basis =
    identity.kind === 'folder' || identity.kind === 'hotfolder'
      ? `${identity.kind}:${identity.location}`
      : `${identity.kind}:${identity.serial ?? ''}:${identity.label ?? ''}:${identity.capacityBytes ?? ''}:${identity.serial === undefined ? identity.name : ''}`;
  const base = `${identity.kind}-${hashBytes(Buffer.from(basis)).slice(0, 16)}`;
  for (let n = 1; n <= MAX_INCARNATIONS; n++) {
    const id = (n === 1 ? base : `${base}.${n}`) as SourceId;
    const known = catalog.source(id);
    if (
      known === undefined ||
      known.identity.fingerprint === undefined ||
      known.identity.fingerprint === identity.fingerprint
    ) {
      return id;
    }
  }
  return `${base}.${Date.now()}` as SourceId;
}
