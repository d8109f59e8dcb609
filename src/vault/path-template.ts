import { FieldBackupError } from '../core/index.js';

/** DESIGN.md's default: year / day / card / the card's own folders. */
export const DEFAULT_PATH_TEMPLATE = '{capture:YYYY}/{capture:YYYY-MM-DD}/{source}/{relpath}';

/** What a template can refer to for one file. */
export interface TemplateContext {
  /** Capture time as the camera's wall clock shows it (not converted to UTC). */
  readonly captureTime: Date;
  readonly source: string;
  readonly camera?: string;
  /** The file's path on its source, '/'-separated. */
  readonly relPath: string;
}

type Part =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'capture'; readonly format: string }
  | { readonly kind: 'field'; readonly name: FieldName };

const FIELDS = ['source', 'camera', 'relpath', 'dir', 'filename', 'stem', 'ext'] as const;
type FieldName = (typeof FIELDS)[number];
const DATE_TOKENS = /YYYY|YY|MM|DD|HH|mm|ss/g;

/** A checked path template; render() gives a vault-relative path made of safe segments. */
export class PathTemplate {
  private constructor(
    readonly source: string,
    private readonly parts: readonly Part[],
  ) {}

  static parse(template: string): PathTemplate {
    const parts: Part[] = [];
    const re = /\{([^{}]*)\}/g;
    let last = 0;
    for (let m = re.exec(template); m !== null; m = re.exec(template)) {
      if (m.index > last) parts.push({ kind: 'text', text: template.slice(last, m.index) });
      parts.push(parseToken(template, m[1] ?? '', m.index));
      last = m.index + m[0].length;
    }
    if (last < template.length) parts.push({ kind: 'text', text: template.slice(last) });
    // Blank out the tokens (same length) so the position points into the template as written.
    const stray = template.replace(re, (token) => ' '.repeat(token.length)).search(/[{}]/);
    if (stray >= 0) throw badTemplate(template, `unbalanced brace`, stray);
    if (!parts.some((p) => p.kind === 'field' && (p.name === 'relpath' || p.name === 'filename'))) {
      throw badTemplate(
        template,
        'must contain {relpath} or {filename}, so that every file keeps its name',
        0,
      );
    }
    return new PathTemplate(template, parts);
  }

  render(ctx: TemplateContext): string {
    const rel = ctx.relPath.split('/').filter((s) => s !== '');
    const filename = rel.at(-1) ?? 'unnamed';
    const dot = filename.lastIndexOf('.');
    const values: Record<FieldName, string> = {
      source: ctx.source,
      camera: ctx.camera ?? 'Unknown camera',
      relpath: rel.join('/'),
      dir: rel.slice(0, -1).join('/'),
      filename,
      stem: dot > 0 ? filename.slice(0, dot) : filename,
      ext: dot > 0 ? filename.slice(dot + 1) : '',
    };
    const text = this.parts
      .map((p) => {
        switch (p.kind) {
          case 'text':
            return p.text;
          case 'capture':
            return formatDate(ctx.captureTime, p.format);
          case 'field':
            // Only the path-valued fields may contribute folders.
            return p.name === 'relpath' || p.name === 'dir'
              ? values[p.name]
              : values[p.name].replace(/[/\\]/g, '_');
        }
      })
      .join('');
    const segments = text
      .split('/')
      .filter((s) => s !== '')
      .map(safeSegment);
    if (segments[0] === 'ascmhl') segments[0] = '_ascmhl';
    return segments.join('/');
  }
}

function parseToken(template: string, body: string, at: number): Part {
  if (body.startsWith('capture:')) {
    const format = body.slice('capture:'.length);
    if (format.replace(DATE_TOKENS, '').match(/[A-Za-z]/)) {
      throw badTemplate(
        template,
        `unknown date format "${format}" (use YYYY, YY, MM, DD, HH, mm, ss)`,
        at,
      );
    }
    return { kind: 'capture', format };
  }
  if ((FIELDS as readonly string[]).includes(body))
    return { kind: 'field', name: body as FieldName };
  throw badTemplate(
    template,
    `unknown token {${body}} (known: {capture:FORMAT}, ${FIELDS.map((f) => `{${f}}`).join(', ')})`,
    at,
  );
}

function badTemplate(template: string, why: string, at: number): FieldBackupError {
  return new FieldBackupError(
    'E_BAD_TEMPLATE',
    `path template "${template}" at position ${at}: ${why}`,
    {
      subject: { field: 'pathTemplate' },
    },
  );
}

function formatDate(d: Date, format: string): string {
  // Capture times are wall-clock times stored as if UTC, so the UTC getters give the camera's clock.
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const map: Record<string, string> = {
    YYYY: pad(d.getUTCFullYear(), 4),
    YY: pad(d.getUTCFullYear() % 100),
    MM: pad(d.getUTCMonth() + 1),
    DD: pad(d.getUTCDate()),
    HH: pad(d.getUTCHours()),
    mm: pad(d.getUTCMinutes()),
    ss: pad(d.getUTCSeconds()),
  };
  return format.replace(DATE_TOKENS, (t) => map[t] ?? t);
}

const MAX_SEGMENT_BYTES = 240;

/** Makes one path segment safe on ext4, exFAT and SMB: no control or reserved characters, no dot names, bounded length. */
export function safeSegment(segment: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  let s = segment.replace(/[\u0000-\u001f\u007f\\:*?"<>|]/g, '_').trim();
  if (s === '' || s === '.' || s === '..') s = '_';
  if (Buffer.byteLength(s) > MAX_SEGMENT_BYTES) {
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && s.length - dot <= 10 ? s.slice(dot) : '';
    // Drop whole code points, never half of a surrogate pair (an emoji), which no filesystem can store.
    const stem = [...s.slice(0, s.length - ext.length)];
    while (Buffer.byteLength(stem.join('') + ext) > MAX_SEGMENT_BYTES) stem.pop();
    s = stem.join('') + ext;
  }
  return s;
}

/** The deterministic names tried when a path is taken by other content: IMG_0001.CR2, IMG_0001_2.CR2, … */
export function collisionName(relPath: string, attempt: number): string {
  if (attempt <= 1) return relPath;
  const slash = relPath.lastIndexOf('/');
  const dir = relPath.slice(0, slash + 1);
  const name = relPath.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0
    ? `${dir}${name.slice(0, dot)}_${attempt}${name.slice(dot)}`
    : `${dir}${name}_${attempt}`;
}
