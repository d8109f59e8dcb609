import { describe, expect, it } from 'vitest';
import type { SourceEntry } from '../../../src/core/index.js';
import {
  captureKindOf,
  compileRule,
  fileKindOf,
  folderMatcher,
  folderOf,
  formatBytes,
  parseReserve,
  parseSize,
  reserveBytes,
  reserveText,
  type CaptureFacts,
  type TierRuleConfig,
} from '../../../src/tiers/index.js';

const entry = (relPath: string, extra: Partial<SourceEntry> = {}): SourceEntry => ({
  relPath,
  size: 10,
  mtimeMs: 0,
  protected: false,
  ...extra,
});
const facts = (extra: Partial<CaptureFacts> = {}, ...paths: string[]): CaptureFacts => ({
  entries: (paths.length > 0 ? paths : ['DCIM/100CANON/IMG_1.CR3']).map((p) => entry(p)),
  ...extra,
});
const rule = (r: Omit<TierRuleConfig, 'tier'>) => compileRule({ tier: 'critical', ...r });

describe('tier rules from the config', () => {
  it('minRating: the capture rating is at least N', () => {
    const r = rule({ minRating: 3 });
    expect(r(facts({ rating: 3 }))).toBe('critical');
    expect(r(facts({ rating: 5 }))).toBe('critical');
    expect(r(facts({ rating: 2 }))).toBeUndefined();
    expect(r(facts())).toBeUndefined();
  });

  it('protected and tethered: any file of the capture has the flag (or none has, when false)', () => {
    const locked = { entries: [entry('a.CR3'), entry('a.JPG', { protected: true })] };
    expect(rule({ protected: true })(locked)).toBe('critical');
    expect(rule({ protected: true })(facts())).toBeUndefined();
    expect(rule({ protected: false })(facts())).toBe('critical');
    const tethered = { entries: [entry('T/1.CR3', { tethered: true })] };
    expect(rule({ tethered: true })(tethered)).toBe('critical');
    expect(rule({ tethered: true })(facts())).toBeUndefined();
  });

  it('label and keywords: any of the listed, ignoring case and spaces', () => {
    expect(rule({ label: ['Red', 'Purple'] })(facts({ label: 'red' }))).toBe('critical');
    expect(rule({ label: ['Red'] })(facts({ label: 'Green' }))).toBeUndefined();
    expect(rule({ label: ['Red'] })(facts())).toBeUndefined();
    expect(rule({ keywords: [' Pick '] })(facts({ keywords: ['travel', 'PICK'] }))).toBe(
      'critical',
    );
    expect(rule({ keywords: ['pick'] })(facts({ keywords: ['travel'] }))).toBeUndefined();
    expect(rule({ keywords: ['pick'] })(facts())).toBeUndefined();
  });

  it('folder: any file of the capture in a matching folder', () => {
    const r = rule({ folder: ['TIMELAPSE', 'PRIVATE/M4ROOT/**'] });
    expect(r(facts({}, 'DCIM/TIMELAPSE/IMG_1.JPG'))).toBe('critical');
    expect(r(facts({}, 'PRIVATE/M4ROOT/CLIP/C0001.MP4'))).toBe('critical');
    expect(r(facts({}, 'DCIM/100CANON/IMG_1.JPG'))).toBeUndefined();
  });

  it('kind: the capture main kind is one of the listed', () => {
    expect(rule({ kind: ['video'] })(facts({ kind: 'video' }))).toBe('critical');
    expect(rule({ kind: ['video', 'raw'] })(facts({ kind: 'raw' }))).toBe('critical');
    expect(rule({ kind: ['video'] })(facts({ kind: 'jpeg' }))).toBeUndefined();
    expect(rule({ kind: ['video'] })(facts())).toBeUndefined();
  });

  it('serial: the camera body is one of the listed', () => {
    expect(rule({ serial: ['012345', '99'] })(facts({ serial: '012345' }))).toBe('critical');
    expect(rule({ serial: ['012345'] })(facts({ serial: '12345' }))).toBeUndefined();
    expect(rule({ serial: ['012345'] })(facts())).toBeUndefined();
  });

  it('needs every condition it gives', () => {
    const r = rule({ minRating: 4, kind: ['raw'] });
    expect(r(facts({ rating: 5, kind: 'raw' }))).toBe('critical');
    expect(r(facts({ rating: 5, kind: 'video' }))).toBeUndefined();
    expect(r(facts({ rating: 1, kind: 'raw' }))).toBeUndefined();
  });
});

describe('folderMatcher', () => {
  it('matches a name anywhere along the path, or a whole path with * ** ?', () => {
    const name = folderMatcher('timelapse');
    expect(name('DCIM/TIMELAPSE')).toBe(true);
    expect(name('TIMELAPSE/sub')).toBe(true);
    expect(name('DCIM/TIMELAPSE2')).toBe(false);
    expect(folderMatcher('TIME*')('DCIM/TIMELAPSE2')).toBe(true);

    const path = folderMatcher('/DCIM/1??CANON/');
    expect(path('DCIM/100CANON')).toBe(true);
    expect(path('DCIM/100CANON/sub')).toBe(false);
    expect(path('X/DCIM/100CANON')).toBe(false);
    expect(folderMatcher('DCIM/*')('DCIM/100CANON')).toBe(true);
    expect(folderMatcher('DCIM/*')('DCIM/100CANON/sub')).toBe(false);
    expect(folderMatcher('PROJECTS/**/RAW')('PROJECTS/RAW')).toBe(true);
    expect(folderMatcher('PROJECTS/**/RAW')('PROJECTS/a/b/RAW')).toBe(true);
    expect(folderMatcher('PROJECTS/**')('PROJECTS/a/b')).toBe(true);
    expect(folderMatcher('a.b')('axb')).toBe(false);
  });

  it('takes the folder of a path', () => {
    expect(folderOf('DCIM/100CANON/IMG_1.CR3')).toBe('DCIM/100CANON');
    expect(folderOf('IMG_1.CR3')).toBe('');
  });
});

describe('file kinds before copying', () => {
  it('come from the extension, case-insensitively', () => {
    expect(fileKindOf('DCIM/IMG_1.CR3')).toBe('raw');
    expect(fileKindOf('DCIM/DSC_1.nef')).toBe('raw');
    expect(fileKindOf('DCIM/IMG_1.JPG')).toBe('jpeg');
    expect(fileKindOf('DCIM/IMG_1.HEIC')).toBe('heif');
    expect(fileKindOf('PRIVATE/M4ROOT/CLIP/C0001.MP4')).toBe('video');
    expect(fileKindOf('DCIM/IMG_1.WAV')).toBe('audio');
    expect(fileKindOf('DCIM/IMG_1.CR3.xmp')).toBe('sidecar');
    expect(fileKindOf('DCIM/README')).toBe('other');
    expect(fileKindOf('DCIM/.CR3')).toBe('other');
    expect(fileKindOf('DCIM/notes.txt')).toBe('other');
  });

  it('make a RAW with its JPEG and sidecar a raw capture, a clip with its thumbnail a video', () => {
    expect(captureKindOf(['IMG_1.JPG', 'IMG_1.CR3', 'IMG_1.xmp'])).toBe('raw');
    expect(captureKindOf(['C0001.THM', 'C0001.MP4'])).toBe('video');
    expect(captureKindOf(['IMG_1.JPG', 'IMG_1.WAV'])).toBe('jpeg');
    expect(captureKindOf(['IMG_1.xmp'])).toBe('sidecar');
    expect(captureKindOf([])).toBe('other');
  });
});

describe('sizes', () => {
  it('reads bytes and decimal or binary units', () => {
    expect(parseSize(0)).toBe(0);
    expect(parseSize(1234)).toBe(1234);
    expect(parseSize('2GB')).toBe(2e9);
    expect(parseSize('500 MB')).toBe(5e8);
    expect(parseSize('1.5 GiB')).toBe(1.5 * 2 ** 30);
    expect(parseSize('64kb')).toBe(64_000);
    expect(parseSize('10')).toBe(10);
    for (const bad of ['lots', '-1 GB', '1 PB', '', 1.5, -3])
      expect(parseSize(bad)).toBeUndefined();
  });

  it('reads a reserve as a size or a share of the vault, and says it back', () => {
    expect(parseReserve('2 GB')).toEqual({ bytes: 2e9 });
    expect(parseReserve(0)).toEqual({ bytes: 0 });
    expect(parseReserve('1%')).toEqual({ percent: 1 });
    expect(parseReserve(' 2.5 % ')).toEqual({ percent: 2.5 });
    for (const bad of ['51%', '-1%', 'lots', '%']) expect(parseReserve(bad)).toBeUndefined();
    expect(reserveBytes({ percent: 1 }, 512e9)).toBe(5.12e9);
    expect(reserveBytes({ percent: 1 }, 1000)).toBe(10);
    expect(reserveBytes({ bytes: 7 }, 1000)).toBe(7);
    expect(reserveText({ percent: 1 })).toBe('1%');
    expect(reserveText({ bytes: 2e9 })).toBe('2.0 GB');
  });

  it('prints decimal units', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(2_000_000)).toBe('2.0 MB');
    expect(formatBytes(1.25e12)).toBe('1.3 TB');
  });
});
