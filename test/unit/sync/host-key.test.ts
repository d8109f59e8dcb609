import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHostKey, describeHostKey } from '../../../src/sync/host-key.js';
import { tempDir } from '../../helpers/tmp.js';

describe('host key pinning', () => {
  it('fingerprints a key exactly as ssh-keygen -lf does', async () => {
    const dir = await tempDir();
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'k')]);
    const blob = Buffer.from(
      (await fs.readFile(join(dir, 'k.pub'), 'utf8')).split(' ')[1] ?? '',
      'base64',
    );
    const expected = execFileSync('ssh-keygen', ['-lf', join(dir, 'k.pub')], {
      encoding: 'utf8',
    }).split(' ')[1];
    expect(describeHostKey(blob)).toEqual({ algorithm: 'ssh-ed25519', fingerprint: expected });
  });

  it('first use pins; the pinned key passes; another is refused; an expected fingerprint decides', () => {
    const seen = { algorithm: 'ssh-ed25519', fingerprint: 'SHA256:abc' };
    const pin = {
      host: 'nas:22',
      algorithm: 'ssh-ed25519',
      fingerprint: 'SHA256:abc',
      pinnedAt: 0,
    };
    expect(checkHostKey('nas', seen, undefined, undefined)).toBe('first-use');
    expect(checkHostKey('nas', seen, pin, undefined)).toBe('pinned');
    expect(() =>
      checkHostKey('nas', seen, { ...pin, fingerprint: 'SHA256:old' }, undefined),
    ).toThrow(
      expect.objectContaining({
        code: 'E_HOST_KEY',
        message: expect.stringContaining('SHA256:old') as string,
      }) as Error,
    );
    expect(checkHostKey('nas', seen, { ...pin, fingerprint: 'SHA256:old' }, 'abc')).toBe(
      'expected',
    );
    expect(checkHostKey('nas', seen, undefined, 'SHA256:abc=')).toBe('expected');
    expect(() => checkHostKey('nas', seen, pin, 'SHA256:zzz')).toThrow(
      expect.objectContaining({ code: 'E_HOST_KEY' }) as Error,
    );
  });
});
