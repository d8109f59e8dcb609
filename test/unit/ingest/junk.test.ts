import { describe, expect, it } from 'vitest';
import { isJunk } from '../../../src/ingest/junk.js';

describe('isJunk', () => {
  it.each([
    '.Trashes',
    '.Trash-1000',
    '.Spotlight-V100',
    '.fseventsd',
    '.TemporaryItems',
    '.DocumentRevisions-V100',
    'System Volume Information',
    '$RECYCLE.BIN',
    '.DS_Store',
    'Thumbs.db',
    'desktop.ini',
    '._IMG_0001.CR2',
    '._',
  ])('skips %s', (name) => {
    expect(isJunk(name)).toBe(true);
  });

  it.each([
    'IMG_0001.CR2',
    'DCIM',
    'MISC',
    '.hidden_by_camera',
    '_IMG_0001.CR2',
    'thumbs.db.JPG',
    'DS_Store',
  ])('keeps %s', (name) => {
    expect(isJunk(name)).toBe(false);
  });
});
