import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import type { SimulatedCamera } from './camera.js';

/**
 * Turns files dropped into a folder into captures: a file counts once two looks 100 ms apart
 * find the same size (write it elsewhere and rename it in for an instant capture).
 */
export function watchShootFolder(
  camera: SimulatedCamera,
  dir: string,
  intervalMs = 100,
): () => void {
  const seen = new Map<string, number>();
  const captured = new Set<string>();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void look()
      .catch((err: unknown) => console.error(`shoot folder: ${String(err)}`))
      .finally(() => (busy = false));
  }, intervalMs);
  async function look(): Promise<void> {
    for (const name of (await fs.readdir(dir)).sort()) {
      if (captured.has(name) || name.startsWith('.')) continue;
      const st = await fs.stat(join(dir, name)).catch(() => undefined);
      if (st === undefined || !st.isFile()) continue;
      if (seen.get(name) === st.size) {
        captured.add(name);
        await camera.capture(join(dir, name));
      } else {
        seen.set(name, st.size);
      }
    }
  }
  return () => clearInterval(timer);
}
