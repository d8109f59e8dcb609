import { errorMessage } from '../core/index.js';
import { readMarker } from '../vault/index.js';
import type { MountedVault } from './capture-editor.js';

/**
 * The vaults among `roots` that are mounted now, by their markers; the others are reported
 * (the page works with one SSD; its sidecars then go to that one only).
 */
export async function mountedVaults(
  roots: readonly string[],
): Promise<{ vaults: MountedVault[]; missing: { root: string; reason: string }[] }> {
  const vaults: MountedVault[] = [];
  const missing: { root: string; reason: string }[] = [];
  for (const root of roots) {
    try {
      const marker = await readMarker(root);
      vaults.push({ id: marker.id, label: marker.label, root });
    } catch (err) {
      missing.push({ root, reason: errorMessage(err) });
    }
  }
  return { vaults, missing };
}
