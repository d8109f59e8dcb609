import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { homeDir } from '../../../src/catalog/index.js';

describe('homeDir', () => {
  const env = { FIELDBACKUP_HOME: '/var/lib/fieldbackup', XDG_DATA_HOME: '/xdg' };

  it('prefers --home, then FIELDBACKUP_HOME, then XDG_DATA_HOME, then ~/.local/share', () => {
    expect(homeDir('/explicit', env)).toBe('/explicit');
    expect(homeDir(undefined, env)).toBe('/var/lib/fieldbackup');
    expect(homeDir(undefined, { XDG_DATA_HOME: '/xdg' })).toBe('/xdg/fieldbackup');
    expect(homeDir(undefined, {})).toBe(join(homedir(), '.local', 'share', 'fieldbackup'));
  });

  it('treats empty values as unset', () => {
    expect(homeDir('', { FIELDBACKUP_HOME: '', XDG_DATA_HOME: '' })).toBe(
      join(homedir(), '.local', 'share', 'fieldbackup'),
    );
  });
});
