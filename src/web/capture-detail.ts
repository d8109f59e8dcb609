import { CaptureEditStore, type CaptureRecord, type Catalog } from '../catalog/index.js';
import { StackQuery } from '../ingest/stacks/index.js';
import { stackOf } from './capture-files.js';
import { tileOf, type Tile } from './gallery.js';

/** What the detail view shows of a capture. */
export interface CaptureDetail extends Tile {
  readonly files: readonly {
    readonly path: string;
    readonly format: string;
    readonly size: number;
    readonly tier: string;
  }[];
  readonly camera?: string;
  readonly lens?: string;
  /** "1/2000 s", "f/4", "ISO 800", "600 mm", "+1/3 EV". */
  readonly exposure: readonly string[];
  readonly gps?: { readonly lat: number; readonly lon: number; readonly alt?: number };
  readonly keywords: readonly string[];
  readonly title?: string;
  readonly caption?: string;
  readonly stackId?: string;
}

function shutter(seconds: number): string {
  if (seconds >= 0.3) return `${Math.round(seconds * 10) / 10} s`;
  return `1/${Math.round(1 / seconds)} s`;
}

function ev(value: number): string {
  if (value === 0) return '0 EV';
  const thirds = Math.round(Math.abs(value) * 3);
  const whole = Math.floor(thirds / 3);
  const frac = thirds % 3 === 0 ? '' : `${thirds % 3}/3`;
  return `${value < 0 ? '−' : '+'}${whole > 0 ? `${whole}${frac === '' ? '' : ' '}` : ''}${frac} EV`;
}

export function captureDetail(catalog: Catalog, capture: CaptureRecord): CaptureDetail {
  const m = capture.metadata;
  const camera = [m.make, m.model].filter((s) => s !== undefined && s !== '');
  const model = m.model ?? '';
  const stack = stackOf(capture, new StackQuery(catalog));
  return {
    ...tileOf(capture, new CaptureEditStore(catalog)),
    files: capture.files.map((f) => ({
      path: f.relPath,
      format: f.format,
      size: f.size,
      tier: f.tier,
    })),
    // "Canon Canon EOS R5" reads badly: the model alone when it names the maker already.
    ...(camera.length === 0
      ? {}
      : {
          camera:
            m.make !== undefined &&
            !model.toLowerCase().includes(m.make.toLowerCase().split(' ')[0] ?? '')
              ? camera.join(' ')
              : model || camera.join(' '),
        }),
    ...(m.lens === undefined ? {} : { lens: m.lens }),
    exposure: [
      ...(m.exposureTime === undefined ? [] : [shutter(m.exposureTime)]),
      ...(m.fNumber === undefined ? [] : [`f/${m.fNumber}`]),
      ...(m.iso === undefined ? [] : [`ISO ${m.iso}`]),
      ...(m.focalLength === undefined ? [] : [`${m.focalLength} mm`]),
      ...(m.exposureCompensation === undefined ? [] : [ev(m.exposureCompensation)]),
    ],
    ...(m.gps === undefined ? {} : { gps: m.gps }),
    keywords: m.keywords ?? [],
    ...(m.title === undefined ? {} : { title: m.title }),
    ...(m.caption === undefined ? {} : { caption: m.caption }),
    ...(stack === undefined ? {} : { stackId: stack.id }),
  };
}
