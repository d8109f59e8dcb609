import * as fs from 'node:fs/promises';
import {
  hashFromMedium,
  placeNoReplace,
  type MediumHash,
  type PlaceResult,
} from '../platform/index.js';

/**
 * The file operations whose failures matter to a copy, behind one small interface so that
 * tests can put a vault on a fake medium (one that corrupts, fills up or vanishes).
 */
export interface VaultIo {
  /** Creates a new temp file (fails if it exists). */
  createTemp(path: string): Promise<fs.FileHandle>;
  /** Moves a finished temp to its final name, never replacing a file. */
  place(tmpPath: string, finalPath: string): Promise<PlaceResult>;
  /** Hashes a file as stored on the medium. */
  readBack(path: string): Promise<MediumHash>;
}

export const nodeVaultIo: VaultIo = {
  createTemp: (path) => fs.open(path, 'wx', 0o644),
  place: placeNoReplace,
  readBack: hashFromMedium,
};
