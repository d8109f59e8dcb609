import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
};

export interface Asset {
  readonly body: Buffer;
  readonly type: string;
  /** Vite's hashed names never change content: cache them for good. */
  readonly immutable: boolean;
}

/**
 * The built front end, read into memory once (a few tens of KB). Only the names found here are
 * served: a request for anything else, traversal included, is simply not in the table.
 */
export async function loadAssets(dir: string): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && TYPES[extname(entry.name)] !== undefined) {
        const url = `/${relative(dir, path).split('\\').join('/')}`;
        assets.set(url, {
          body: await readFile(path),
          type: TYPES[extname(entry.name)]!,
          immutable: url.startsWith('/assets/'),
        });
      }
    }
  };
  await walk(dir);
  return assets;
}
