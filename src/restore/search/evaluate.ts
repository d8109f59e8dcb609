import { Bitset, dayOf, fold, serialKey, tokens, type CaptureStore } from '../../catalog/index.js';
import { FORMAT_ALIASES } from '../../media/formats/index.js';
import { ALIASES, FIELDS, type FieldSpec } from './fields.js';
import type { FieldNode, QueryNode, TextNode } from './query-ast.js';
import { QueryError } from './query-error.js';
import {
  cellInside,
  cellMayIntersect,
  dateInterval,
  distanceKm,
  numberInterval,
  parseNear,
  parseNumber,
  ValueError,
  type Circle,
} from './query-values.js';

const DAY_MS = 86_400_000;

/** Whether `needle`'s words appear, in order and adjacent, among `hay`'s words. */
function wordsIn(hay: string, needle: readonly string[], prefixLast: boolean): boolean {
  const words = tokens(hay);
  for (let i = 0; i + needle.length <= words.length; i++) {
    let ok = true;
    for (let j = 0; j < needle.length && ok; j++) {
      const last = j === needle.length - 1;
      ok = last && prefixLast ? words[i + j]!.startsWith(needle[j]!) : words[i + j] === needle[j];
    }
    if (ok) return true;
  }
  return false;
}

const compact = (s: string): string => fold(s).replace(/[^\p{L}\p{N}]/gu, '');

/** Turns a parsed query into the set of matching captures, reading the capture store's indexes. */
export class QueryEvaluator {
  private readonly size: number;

  constructor(
    private readonly store: CaptureStore,
    private readonly query: string,
  ) {
    this.size = store.size;
  }

  evaluate(node: QueryNode): Bitset {
    switch (node.kind) {
      case 'all':
        return this.store.all();
      case 'and': {
        const [first, ...rest] = node.children.map((c) => this.evaluate(c));
        for (const r of rest) first!.and(r);
        return first!;
      }
      case 'or': {
        const [first, ...rest] = node.children.map((c) => this.evaluate(c));
        for (const r of rest) first!.or(r);
        return first!;
      }
      case 'not':
        return this.store.all().andNot(this.evaluate(node.child));
      case 'text':
        return this.text(node);
      case 'field':
        return this.field(node);
    }
  }

  private fail(message: string, at: number): never {
    throw new QueryError(message, this.query, at);
  }

  private text(node: TextNode): Bitset {
    const prefix = !node.quoted && node.text.endsWith('*');
    const words = tokens(node.text);
    if (words.length === 0) this.fail(`nothing to search for in "${node.text}"`, node.at);
    const read = this.store.read;
    const sets = words.map((w, i) =>
      prefix && i === words.length - 1
        ? read.prefix(this.size, 'text', w)
        : read.term(this.size, 'text', w),
    );
    const [first, ...rest] = sets;
    for (const s of rest) first!.and(s);
    // A phrase: its words next to each other and in order, as the word pairs index them.
    if (node.quoted)
      for (let i = 1; i < words.length; i++)
        first!.and(read.term(this.size, 'text2', `${words[i - 1]} ${words[i]}`));
    return first!;
  }

  private spec(node: FieldNode): FieldSpec {
    const name = node.field.toLowerCase();
    const spec = FIELDS[ALIASES[name] ?? name];
    if (spec !== undefined) return spec;
    // A facet another subsystem set is searchable by its own name.
    if (!this.store.read.valuesOf(name).next().done)
      return { kind: 'exact', index: name, help: '' };
    this.fail(`unknown field "${node.field}"; fields: ${Object.keys(FIELDS).join(', ')}`, node.at);
  }

  private field(node: FieldNode): Bitset {
    const spec = this.spec(node);
    try {
      return this.match(node, spec);
    } catch (err) {
      if (err instanceof ValueError)
        this.fail(`${node.field}: ${err.message}`, node.valueAt + err.offset);
      throw err;
    }
  }

  private needsColon(node: FieldNode, spec: FieldSpec): void {
    if (node.op !== ':' && node.op !== '=')
      this.fail(
        `${node.field} cannot be compared with ${node.op}; use ${spec.help}`,
        node.at + node.field.length,
      );
  }

  private match(node: FieldNode, spec: FieldSpec): Bitset {
    const read = this.store.read;
    const value = node.value;
    switch (spec.kind) {
      case 'number': {
        if (spec.index === 'rating' && /^(rejected|reject)$/i.test(value))
          return read.term(this.size, 'rating', -1);
        const i = numberInterval(node.op, value, (s) => parseNumber(s, spec.unit));
        // Values come from ExifTool rounded (-0.3333333333 for -1/3): bounds get a relative tolerance.
        const eps = (v: number): number => Math.abs(v) * 1e-6 + 1e-12;
        const lo = i.lo === undefined ? undefined : i.lo + (i.loInclusive ? -eps(i.lo) : eps(i.lo));
        const hi = i.hi === undefined ? undefined : i.hi + (i.hiInclusive ? eps(i.hi) : -eps(i.hi));
        return read.range(this.size, spec.index, lo, hi, i.loInclusive, i.hiInclusive);
      }
      case 'exact':
        this.needsColon(node, spec);
        return read.term(
          this.size,
          spec.index,
          fold(spec.index === 'serial' ? serialKey(value) : value),
        );
      case 'format': {
        this.needsColon(node, spec);
        const names = FORMAT_ALIASES[value.toUpperCase()] ?? [value.toUpperCase()];
        const out = new Bitset(this.size);
        for (const n of names) out.or(read.term(this.size, 'format', fold(n)));
        return out;
      }
      case 'contains': {
        this.needsColon(node, spec);
        const needle = fold(value.replace(/\*$/, ''));
        if (needle === '')
          this.fail(`${node.field}: nothing to search for in "${value}"`, node.valueAt);
        return read.matching(this.size, spec.index, (v) => String(v).includes(needle));
      }
      case 'words':
      case 'camera': {
        this.needsColon(node, spec);
        const prefix = !node.quoted && value.endsWith('*');
        const words = tokens(value);
        if (words.length === 0)
          this.fail(`${node.field}: nothing to search for in "${value}"`, node.valueAt);
        const whole = fold(value);
        const tight = compact(value);
        return read.matching(this.size, spec.index, (v) => {
          const s = String(v);
          return (
            s === whole ||
            wordsIn(s, words, prefix) ||
            (spec.kind === 'camera' && tight.length >= 2 && compact(s).endsWith(tight))
          );
        });
      }
      case 'date':
        return this.date(node);
      case 'near':
        this.needsColon(node, spec);
        return this.near(parseNear(value));
      case 'text':
        this.needsColon(node, spec);
        return this.text({ kind: 'text', text: value, quoted: node.quoted, at: node.valueAt });
    }
  }

  private date(node: FieldNode): Bitset {
    const read = this.store.read;
    if (/^none$/i.test(node.value)) return read.term(this.size, 'day', 'none');
    const { lo, hi } = dateInterval(node.op, node.value);
    const firstDay = lo === undefined ? undefined : dayOf(lo);
    const lastDay = hi === undefined ? undefined : dayOf(hi - 1);
    const out = read.range(this.size, 'day', firstDay, lastDay);
    // Days only partly inside (a time of day was given): check each capture's exact time.
    const partial = [
      ...(lo !== undefined && lo % DAY_MS !== 0 ? [firstDay!] : []),
      ...(hi !== undefined && hi % DAY_MS !== 0 ? [lastDay!] : []),
    ];
    for (const day of new Set(partial)) {
      const ids = read.term(this.size, 'day', day).and(out);
      const times = this.store.columns().read('time', ids.ids());
      for (const [id, t] of times)
        if (!((lo === undefined || t >= lo) && (hi === undefined || t < hi))) out.delete(id);
    }
    return out;
  }

  /**
   * Grid cells the circle touches: those wholly inside it match as they are; only the captures
   * of cells on its edge are measured one by one (from the latitude/longitude columns).
   */
  private near(c: Circle): Bitset {
    const read = this.store.read;
    const fine = c.radiusKm < 50;
    const perDegree = fine ? 10 : 1;
    const field = fine ? 'g10' : 'g1';
    const out = new Bitset(this.size);
    const edge = new Bitset(this.size);
    for (const { value } of read.valuesOf(field)) {
      const [a, b] = String(value).split(',').map(Number);
      if (!cellMayIntersect(c, a!, b!, perDegree)) continue;
      read.orTerm(cellInside(c, a!, b!, perDegree) ? out : edge, field, value);
    }
    this.store.columns().forEach(['lat', 'lon'], edge.ids(), (id, [lat, lon]) => {
      if (distanceKm(c.lat, c.lon, lat!, lon!) <= c.radiusKm) out.add(id);
    });
    return out;
  }
}
