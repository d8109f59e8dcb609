import { describe, expect, it } from 'vitest';
import { parseQuery, QueryError, type QueryNode } from '../../../src/index.js';

const f = (field: string, op: string, value: string, at: number, quoted = false) => ({
  kind: 'field',
  field,
  op,
  value,
  quoted,
  at,
  valueAt: at + field.length + op.length,
});
const t = (text: string, at: number, quoted = false) => ({ kind: 'text', text, quoted, at });

describe('parseQuery', () => {
  it('parses fields with every comparison, quoted values, words and phrases', () => {
    expect(parseQuery('rating>=4')).toEqual(f('rating', '>=', '4', 0));
    expect(parseQuery('camera:"NIKON Z 9"')).toEqual({
      ...f('camera', ':', 'NIKON Z 9', 0, true),
      valueAt: 7,
    });
    expect(parseQuery('date:2026-11-20..2026-11-23')).toEqual(
      f('date', ':', '2026-11-20..2026-11-23', 0),
    );
    expect(parseQuery('near:-1.29,36.82,25km')).toEqual(f('near', ':', '-1.29,36.82,25km', 0));
    expect(parseQuery('"bald eagle"')).toEqual(t('bald eagle', 0, true));
    expect(parseQuery('  eagle ')).toEqual(t('eagle', 2));
    expect(parseQuery('')).toEqual({ kind: 'all' });
    expect(parseQuery('iso<800')).toMatchObject({ op: '<' });
    expect(parseQuery('ev=0')).toMatchObject({ op: '=' });
  });

  it('binds AND (or nothing) tighter than OR; NOT and "-" negate; parentheses group', () => {
    const q = parseQuery('a b OR c AND NOT d');
    expect(q).toEqual({
      kind: 'or',
      children: [
        { kind: 'and', children: [t('a', 0), t('b', 2)] },
        { kind: 'and', children: [t('c', 7), { kind: 'not', child: t('d', 17) }] },
      ],
    });
    const grouped = parseQuery('(format:CR2 OR format:NEF) -label:red') as {
      kind: string;
      children: QueryNode[];
    };
    expect(grouped.kind).toBe('and');
    expect(grouped.children[0]).toMatchObject({ kind: 'or' });
    expect(grouped.children[1]).toEqual({ kind: 'not', child: f('label', ':', 'red', 28) });
    expect(parseQuery('eagle && lion || zebra')).toMatchObject({ kind: 'or' });
    expect(parseQuery('and or not')).toMatchObject({ kind: 'and' });
  });

  it.each([
    ['(eagle', 6, 'expected ")" to close the "(" at position 1'],
    ['eagle)', 5, 'unmatched ")"'],
    ['rating>=', 8, 'rating>= needs a value'],
    ['label:"red', 6, 'unterminated quote'],
    ['eagle AND', 9, 'expected a search term, found the end of the query'],
    ['OR eagle', 0, 'expected a search term, found "OR"'],
    ['()', 1, 'expected a search term, found ")"'],
  ])('points at the problem in %j', (query, position, message) => {
    let error: unknown;
    try {
      parseQuery(query);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(QueryError);
    const e = error as QueryError;
    expect(e.code).toBe('E_QUERY');
    expect(e.position).toBe(position);
    expect(e.message).toContain(message);
    expect(e.pointer().split('\n')[1]).toBe(`${' '.repeat(position)}^`);
  });
});
