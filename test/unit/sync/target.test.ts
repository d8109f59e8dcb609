import { describe, expect, it } from 'vitest';
import { formatTarget, parseTarget } from '../../../src/sync/index.js';

describe('sync targets', () => {
  it('a path is a mounted share, resolved against the working folder', () => {
    expect(parseTarget('/mnt/nas/photos')).toEqual({ kind: 'path', path: '/mnt/nas/photos' });
    expect(parseTarget('nas', '/media')).toEqual({ kind: 'path', path: '/media/nas' });
  });

  it('sftp URLs: user, host, port (22 by default), absolute or home-relative folder', () => {
    expect(parseTarget('sftp://photos@nas.local/volume1/photos/')).toEqual({
      kind: 'sftp',
      user: 'photos',
      host: 'nas.local',
      port: 22,
      path: '/volume1/photos',
    });
    expect(parseTarget('sftp://me@[::1]:2222/~/Pictures%20Archive')).toMatchObject({
      host: '::1',
      port: 2222,
      path: 'Pictures Archive',
    });
    expect(formatTarget(parseTarget('sftp://me@[::1]:2222/~/x'))).toBe('sftp://me@[::1]:2222/~/x');
    expect(formatTarget(parseTarget('sftp://me@nas/srv/p'))).toBe('sftp://me@nas:22/srv/p');
    expect(parseTarget('sftp://nas/srv/p')).toMatchObject({ user: expect.any(String) as string });
  });

  it('refuses what it cannot use, naming the field', () => {
    for (const bad of [
      '',
      'ftp://nas/p',
      'sftp://nas',
      'sftp://nas/',
      'sftp://u:secret@nas/p',
      'sftp://[bad/p',
    ]) {
      expect(() => parseTarget(bad), bad).toThrow(
        expect.objectContaining({ code: 'E_USAGE', subject: { field: 'to' } }) as Error,
      );
    }
  });
});
