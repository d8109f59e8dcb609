import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's root: the nearest folder above this module with a package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8 && !existsSync(join(dir, 'package.json')); i++) dir = dirname(dir);
  return dir;
}

/**
 * Files the build makes, wherever this module runs from (dist/ when installed; the TypeScript
 * source under a test runner): the front end built by Vite and the thumbnail worker compiled
 * by tsc. Both are produced by `npm run build`.
 */
export const builtFiles = {
  assetsDir: (): string => join(packageRoot(), 'dist', 'web'),
  thumbWorker: (): string => join(packageRoot(), 'dist', 'src', 'web', 'thumb-worker.js'),
};
