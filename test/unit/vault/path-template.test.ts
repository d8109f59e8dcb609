import { describe, expect, it } from 'vitest';
import { isFieldBackupError, type FieldBackupError } from '../../../src/core/index.js';
import {
  collisionName,
  DEFAULT_PATH_TEMPLATE,
  PathTemplate,
  safeSegment,
  type TemplateContext,
} from '../../../src/vault/index.js';

// Wall-clock capture times are Dates whose UTC fields hold the camera's clock.
const ctx = (over: Partial<TemplateContext> = {}): TemplateContext => ({
  captureTime: new Date(Date.UTC(2026, 2, 7, 9, 5, 3)),
  source: 'EOS_R5_07',
  relPath: 'DCIM/100CANON/IMG_0001.CR2',
  ...over,
});

function parseError(template: string): FieldBackupError {
  try {
    PathTemplate.parse(template);
  } catch (err) {
    if (isFieldBackupError(err)) return err;
    throw err;
  }
  throw new Error(`template accepted: ${template}`);
}

describe('PathTemplate.render', () => {
  it('renders the default template as year/day/source/relpath from the wall clock', () => {
    const t = PathTemplate.parse(DEFAULT_PATH_TEMPLATE);
    expect(t.render(ctx())).toBe('2026/2026-03-07/EOS_R5_07/DCIM/100CANON/IMG_0001.CR2');
    // 23:30 on the camera's clock stays on that day, whatever the box's time zone.
    const late = ctx({ captureTime: new Date(Date.UTC(2025, 11, 31, 23, 30, 0)) });
    expect(t.render(late)).toBe('2025/2025-12-31/EOS_R5_07/DCIM/100CANON/IMG_0001.CR2');
  });

  it('renders every date token', () => {
    const t = PathTemplate.parse('{capture:YYYY YY MM DD HH mm ss}/{filename}');
    expect(t.render(ctx())).toBe('2026 26 03 07 09 05 03/IMG_0001.CR2');
  });

  it('renders every field token', () => {
    const t = PathTemplate.parse('{source}/{camera}/{dir}/{stem}.{ext}/{filename}/{relpath}');
    expect(t.render(ctx({ camera: 'Canon EOS R5' }))).toBe(
      'EOS_R5_07/Canon EOS R5/DCIM/100CANON/IMG_0001.CR2/IMG_0001.CR2/DCIM/100CANON/IMG_0001.CR2',
    );
  });

  it('names an unknown camera and handles a file without extension or folder', () => {
    const t = PathTemplate.parse('{camera}/{dir}/{stem}-{ext}-{filename}');
    expect(t.render(ctx({ relPath: 'README' }))).toBe('Unknown camera/README--README');
  });

  it('replaces ".." segments so nothing escapes the vault', () => {
    const t = PathTemplate.parse('{source}/{relpath}');
    const out = t.render(ctx({ source: '..', relPath: '../../etc/passwd' }));
    expect(out).toBe('_/_/_/etc/passwd');
    expect(out.split('/')).not.toContain('..');
  });

  it('replaces control and reserved characters', () => {
    const t = PathTemplate.parse('{source}/{filename}');
    expect(t.render(ctx({ source: 'a\u0000b\u001fc\u007f', relPath: 'x:y*?"<>|\\.JPG' }))).toBe(
      'a_b_c_/x_y_______.JPG',
    );
  });

  it('keeps a "/" inside {source} from making folders', () => {
    const t = PathTemplate.parse('{source}/{filename}');
    expect(t.render(ctx({ source: 'a/b' }))).toBe('a_b/IMG_0001.CR2');
  });

  it('truncates a name over 240 bytes, keeping its extension', () => {
    const t = PathTemplate.parse('{relpath}');
    const long = `${'é'.repeat(200)}.CR2`;
    const out = t.render(ctx({ relPath: `DCIM/${long}` }));
    const name = out.split('/')[1]!;
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(240);
    expect(Buffer.byteLength(name)).toBeGreaterThan(230);
    expect(name.endsWith('.CR2')).toBe(true);
    expect(name.startsWith('éé')).toBe(true);
    expect(safeSegment('short.CR2')).toBe('short.CR2');
  });

  it('never cuts an emoji in half when truncating', () => {
    const name = safeSegment(`a${'\u{1F600}'.repeat(70)}.CR2`);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(240);
    expect(name.endsWith('\u{1F600}.CR2')).toBe(true);
    // A lone surrogate would not survive the round trip through UTF-8 (the name on disk).
    expect(Buffer.from(name, 'utf8').toString('utf8')).toBe(name);
  });

  it('renames a first segment "ascmhl" so it cannot mix with the MHL folder', () => {
    const t = PathTemplate.parse('{relpath}');
    expect(t.render(ctx({ relPath: 'ascmhl/0001_x.mhl' }))).toBe('_ascmhl/0001_x.mhl');
    expect(t.render(ctx({ relPath: 'DCIM/ascmhl/a.JPG' }))).toBe('DCIM/ascmhl/a.JPG');
  });

  it('drops empty segments from doubled slashes', () => {
    const t = PathTemplate.parse('/{source}//{relpath}/');
    expect(t.render(ctx({ relPath: 'a//b.JPG' }))).toBe('EOS_R5_07/a/b.JPG');
  });
});

describe('PathTemplate.parse errors', () => {
  it('rejects an unknown token with E_BAD_TEMPLATE and its position', () => {
    const err = parseError('{capture:YYYY}/{lens}/{relpath}');
    expect(err.code).toBe('E_BAD_TEMPLATE');
    expect(err.message).toContain('position 15');
    expect(err.message).toContain('{lens}');
    expect(err.subject.field).toBe('pathTemplate');
  });

  it('rejects an unknown date format', () => {
    const err = parseError('{capture:YYYY-Q}/{relpath}');
    expect(err.code).toBe('E_BAD_TEMPLATE');
    expect(err.message).toContain('position 0');
  });

  it.each([
    ['{source/{relpath}', 0],
    ['{relpath}}', 9],
    ['a/{relpath}/{', 12],
  ])('rejects the unbalanced brace in %s at position %i', (template, at) => {
    const err = parseError(template);
    expect(err.code).toBe('E_BAD_TEMPLATE');
    expect(err.message).toContain(`position ${at}`);
    expect(err.message).toContain('unbalanced');
  });

  it('rejects a template without {relpath} or {filename}', () => {
    const err = parseError('{capture:YYYY}/{source}/{stem}.{ext}');
    expect(err.code).toBe('E_BAD_TEMPLATE');
    expect(err.message).toContain('position 0');
    expect(err.message).toMatch(/\{relpath\} or \{filename\}/);
  });

  it('accepts {filename} without {relpath}', () => {
    expect(PathTemplate.parse('{source}/{filename}').source).toBe('{source}/{filename}');
  });
});

describe('collisionName', () => {
  it('keeps the name on the first attempt and numbers the following ones', () => {
    expect(collisionName('DCIM/IMG_0001.CR2', 1)).toBe('DCIM/IMG_0001.CR2');
    expect(collisionName('IMG_0001.CR2', 2)).toBe('IMG_0001_2.CR2');
    expect(collisionName('2026/a.b/IMG_0001.CR2', 3)).toBe('2026/a.b/IMG_0001_3.CR2');
  });

  it('appends the number to a name without extension or with a leading dot', () => {
    expect(collisionName('DCIM/README', 2)).toBe('DCIM/README_2');
    expect(collisionName('DCIM/.hidden', 2)).toBe('DCIM/.hidden_2');
  });

  it('gives distinct names for distinct attempts', () => {
    const names = new Set([1, 2, 3, 4, 10].map((n) => collisionName('x/y.JPG', n)));
    expect(names.size).toBe(5);
  });
});
