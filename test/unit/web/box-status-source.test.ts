import { describe, expect, it } from 'vitest';
import {
  boxStatusLines,
  BoxStatusSource,
  INITIAL_STATUS,
  screenModel,
  type BoxStatus,
  type JobStatus,
  type WebStatus,
} from '../../../src/index.js';
import { openCatalog } from '../../helpers/box.js';
import { tempDir } from '../../helpers/tmp.js';

const job = {
  jobId: 'j-live',
  source: { id: 's', kind: 'card', name: 'EOS_DIGITAL', location: '/media/sdc1' },
  state: 'running',
  startedAt: 5,
  vaults: [],
  tiers: [],
  short: [],
  notCopied: [],
  safeToFormat: false,
} as unknown as JobStatus;

describe('the page’s status from the appliance’s status model', () => {
  it('shows the card in the reader with its phase, the box’s lines, battery and problems, live', async () => {
    const catalog = await openCatalog(await tempDir());
    let current: BoxStatus = { ...INITIAL_STATUS, mode: 'running', at: 10 };
    const listeners: ((s: BoxStatus) => void)[] = [];
    const source = new BoxStatusSource(
      { status: () => current, onStatus: (l) => (listeners.push(l), () => undefined) },
      catalog,
    );
    expect(source.snapshot().jobs).toEqual([]);
    const seen: WebStatus[] = [];
    source.subscribe((s) => seen.push(s));
    current = {
      ...current,
      card: { phase: 'copying', name: 'EOS_DIGITAL', job },
      power: { source: 'battery', level: 'low', percent: 18.4, gauge: 'ok' },
      problems: [{ code: 'E_VAULT_MISSING', message: 'SSD-B is missing', at: 9 }],
    };
    for (const l of listeners) l(current);
    expect(seen).toHaveLength(1);
    const s = seen[0]!;
    expect(s.jobs[0]).toMatchObject({ jobId: 'j-live', phase: 'copying', safeToFormat: false });
    expect(s.box.battery).toEqual({ percent: 18, charging: false });
    expect(s.box.errors).toEqual(['SSD-B is missing']);
    expect(s.box.lines?.some((l) => l.startsWith('Card: EOS_DIGITAL'))).toBe(true);
  });

  it('shows the pairing code on the e-ink screen only: never in the page’s status or the status lines', async () => {
    const catalog = await openCatalog(await tempDir());
    const status: BoxStatus = {
      ...INITIAL_STATUS,
      mode: 'running',
      vaults: [{ label: 'SSD-A', present: true }],
      pairing: { code: '482915', expiresAt: 1 },
    };
    expect(screenModel(status).lines).toContain('Web code 482 915');
    const source = new BoxStatusSource(
      { status: () => status, onStatus: () => () => undefined },
      catalog,
    );
    expect(JSON.stringify(source.snapshot())).not.toMatch(/482.?915/);
    expect(boxStatusLines(status).join('\n')).not.toMatch(/482.?915/);
    expect(screenModel({ ...status, pairing: undefined }).lines.join('\n')).not.toContain(
      'Web code',
    );
  });
});
