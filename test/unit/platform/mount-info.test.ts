import { describe, expect, it } from 'vitest';
import { mountAt, parseMountInfo } from '../../../src/platform/index.js';

// From a Raspberry Pi OS box with a card and an SSD; fields per proc(5):
// id parent major:minor root mountpoint options [optional fields...] - fstype source superoptions
const SAMPLE = [
  '22 1 179:2 / / rw,noatime shared:1 - ext4 /dev/mmcblk0p2 rw',
  '25 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw',
  '31 22 0:26 / /run rw,nosuid,nodev shared:5 master:1 - tmpfs tmpfs rw,size=382828k,mode=755',
  '98 22 8:1 / /media/pi/EOS\\040DIGITAL ro,nosuid,nodev,relatime shared:55 - exfat /dev/sda1 ro,fmask=0022,dmask=0022,iocharset=utf8,errors=remount-ro',
  '99 22 8:17 / /media/ssd-a rw,relatime - ext4 /dev/sdb1 rw',
  '120 22 0:50 / /mnt/nas rw,relatime shared:60 - nfs4 nas.local:/export/photos rw,vers=4.2',
  '',
].join('\n');

describe('parseMountInfo', () => {
  const entries = parseMountInfo(SAMPLE);

  it('finds every mount line', () => {
    expect(entries.map((e) => e.mountPoint)).toEqual([
      '/',
      '/proc',
      '/run',
      '/media/pi/EOS DIGITAL',
      '/media/ssd-a',
      '/mnt/nas',
    ]);
  });

  it('decodes \\040 to a space and reads fs type, device and mount options', () => {
    expect(entries[3]).toEqual({
      mountPoint: '/media/pi/EOS DIGITAL',
      fsType: 'exfat',
      device: '/dev/sda1',
      options: ['ro', 'nosuid', 'nodev', 'relatime'],
    });
  });

  it('is not confused by zero, one or two optional fields', () => {
    expect(entries[4]).toMatchObject({
      fsType: 'ext4',
      device: '/dev/sdb1',
      options: ['rw', 'relatime'],
    });
    expect(entries[2]).toMatchObject({ fsType: 'tmpfs', device: 'tmpfs' });
    expect(entries[5]).toMatchObject({ fsType: 'nfs4', device: 'nas.local:/export/photos' });
  });

  it('skips blank and malformed lines', () => {
    expect(parseMountInfo('garbage\n\n1 2 3\n')).toEqual([]);
  });
});

describe('mountAt', () => {
  it('finds the root mount of this machine and nothing at a non-mount path', async () => {
    const root = await mountAt('/');
    expect(root?.mountPoint).toBe('/');
    expect(root?.fsType).not.toBe('');
    expect(await mountAt('/definitely/not/a/mount/point')).toBeUndefined();
  });
});
