import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/** A fresh temp folder removed when the current test ends. */
export async function tempDir(prefix = 'fb-'): Promise<string> {
  const dir = await fs.mkdtemp(join(tmpdir(), prefix));
  onTestFinished(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });
  return dir;
}
