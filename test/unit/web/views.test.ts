import { describe, expect, it } from 'vitest';
import { parseConfig, sidecarXml, webConfigSchema, type JobStatus } from '../../../src/index.js';
import { parseStackId } from '../../../src/web/capture-files.js';
import { jobView } from '../../../src/web/status-view.js';
import { sidecarNames } from '../../../src/web/xmp-sidecar.js';

const amount = (captures: number, files: number, bytes: number) => ({ captures, files, bytes });

function status(safe: boolean): JobStatus {
  return {
    jobId: 'j1',
    source: { id: 's1', kind: 'card', name: 'EOS_DIGITAL', location: '/media/card' },
    state: safe ? 'finished' : 'running',
    startedAt: 1,
    vaults: [],
    tiers: [
      {
        tier: 'critical',
        rank: 1,
        copiesRequired: 2,
        verification: 'read-back',
        total: amount(2, 4, 400),
        copied: amount(safe ? 2 : 1, safe ? 4 : 2, safe ? 400 : 200),
        short: amount(0, 0, 0),
        notCopied: amount(0, 0, 0),
        pending: amount(safe ? 0 : 1, safe ? 0 : 2, safe ? 0 : 200),
        verified: [],
      },
    ],
    short: [],
    notCopied: safe
      ? []
      : [{ path: 'DCIM/IMG_9.CR2', tier: 'critical', state: 'failed', reason: 'read error' }],
    safeToFormat: safe,
  } as unknown as JobStatus;
}

describe('job view', () => {
  it('counts files and bytes done and says the verdict in the CLI’s words', () => {
    const running = jobView(status(false));
    expect(running).toMatchObject({
      safeToFormat: false,
      files: { done: 2, total: 4 },
      bytes: { done: 200, total: 400 },
    });
    expect(running.verdict).toMatch(/^NOT safe to format/);
    expect(running.problems).toEqual(['DCIM/IMG_9.CR2 (critical): read error']);
    const done = jobView(status(true));
    expect(done.verdict).toMatch(/safe to format/);
    expect(done.problems).toEqual([]);
  });
});

describe('XMP sidecar', () => {
  it('carries rating, label and pick, with attribute values escaped', () => {
    const xml = sidecarXml({
      rating: -1,
      label: 'Red"><x',
      pick: true,
      modified: '2026-11-25T08:00:00.000Z',
    });
    expect(xml).toContain('xmp:Rating="-1"');
    expect(xml).toContain('xmp:Label="Red&quot;&gt;&lt;x"');
    expect(xml).toContain('xmpDM:good="True"');
    expect(sidecarXml({ pick: false, modified: 'x' })).not.toMatch(/Rating|Label|good/);
  });

  it('sits beside the main file, with a fallback name', () => {
    expect(sidecarNames('2026/DCIM/IMG_0001.CR3')).toEqual([
      '2026/DCIM/IMG_0001.xmp',
      '2026/DCIM/IMG_0001.fieldbackup.xmp',
    ]);
    expect(sidecarNames('a.b/NOEXT')).toEqual(['a.b/NOEXT.xmp', 'a.b/NOEXT.fieldbackup.xmp']);
  });
});

describe('stack ids', () => {
  it('are job:number and nothing else', () => {
    expect(parseStackId('20261125T0800-ab12cd34:3')).toEqual({
      jobId: '20261125T0800-ab12cd34',
      no: 3,
    });
    for (const bad of ['../x:1', 'a/b:1', 'x', 'x:', ':1', 'x:1:2', `${'a'.repeat(81)}:1`])
      expect(parseStackId(bad)).toBeUndefined();
  });
});

describe('web config', () => {
  it('defaults to loopback only, port 8080, no password, off in the daemon', () => {
    expect(webConfigSchema.parse(undefined)).toEqual({
      enabled: false,
      listen: ['127.0.0.1'],
      port: 8080,
      sessionMinutes: 720,
    });
  });

  it('names the field of a mistake', () => {
    expect(() => parseConfig('version: 1\nweb:\n  listen: [wifi0]\n', 'box.yaml')).toThrow(
      /box\.yaml.*web\.listen\.0/,
    );
    expect(() => parseConfig('version: 1\nweb:\n  password: short\n', 'box.yaml')).toThrow(
      /web\.password.*10 characters/,
    );
    expect(() => parseConfig('version: 1\nweb:\n  port: 70000\n', 'box.yaml')).toThrow(/web\.port/);
    expect(
      parseConfig('version: 1\nweb:\n  enabled: true\n  listen: [10.42.0.1, "::1"]\n', 'box.yaml')
        .web.listen,
    ).toEqual(['10.42.0.1', '::1']);
  });
});
