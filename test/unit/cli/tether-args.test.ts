import { describe, expect, it } from 'vitest';
import { parseHostPort } from '../../../src/cli/commands/tether.js';

describe('--ptpip HOST[:PORT]', () => {
  it('takes a host alone (port 15740), a host and port, and IPv6 in brackets', () => {
    expect(parseHostPort('192.168.1.20')).toEqual({ host: '192.168.1.20', port: 15740 });
    expect(parseHostPort('camera.local:15741')).toEqual({ host: 'camera.local', port: 15741 });
    expect(parseHostPort('[fe80::1]:15740')).toEqual({ host: 'fe80::1', port: 15740 });
    expect(parseHostPort('[::1]')).toEqual({ host: '::1', port: 15740 });
  });

  it('refuses ports out of range and IPv6 without brackets', () => {
    for (const bad of ['host:0', 'host:65536', 'host:', 'fe80::1', '', ':15740'])
      expect(() => parseHostPort(bad), bad).toThrow(/--ptpip wants/);
  });
});
