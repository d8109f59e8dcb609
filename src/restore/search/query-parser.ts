import type { Comparison, FieldNode, QueryNode } from './query-ast.js';
import { QueryError } from './query-error.js';

type Token =
  | { readonly type: '(' | ')' | 'AND' | 'OR' | 'NOT' | 'EOF'; readonly at: number }
  | { readonly type: 'term'; readonly node: QueryNode; readonly at: number };

const FIELD_RE = /^([A-Za-z][A-Za-z0-9_-]*)(>=|<=|:|=|>|<)/;
const STOP = /[\s()"]/;

/** Splits the query into parentheses, operators and terms (field:value, field>=n, words, "phrases"). */
function lex(query: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const quoted = (start: number): { text: string; end: number } => {
    let text = '';
    let j = start + 1;
    for (; j < query.length && query[j] !== '"'; j++) {
      if (query[j] === '\\' && j + 1 < query.length) j++;
      text += query[j];
    }
    if (j >= query.length) throw new QueryError('unterminated quote', query, start);
    return { text, end: j + 1 };
  };
  while (i < query.length) {
    const ch = query[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')') {
      out.push({ type: ch, at: i++ });
      continue;
    }
    if (ch === '"') {
      const q = quoted(i);
      out.push({ type: 'term', at: i, node: { kind: 'text', text: q.text, quoted: true, at: i } });
      i = q.end;
      continue;
    }
    const start = i;
    let negate = false;
    if (ch === '-' && i + 1 < query.length && !STOP.test(query[i + 1]!)) {
      negate = true;
      i++;
    }
    let j = i;
    while (j < query.length && !STOP.test(query[j]!)) j++;
    const word = query.slice(i, j);
    const field = FIELD_RE.exec(word);
    let node: QueryNode;
    if (field !== null) {
      const op = field[2] as Comparison;
      const valueAt = i + field[0].length;
      let value = word.slice(field[0].length);
      let isQuoted = false;
      if (value === '' && query[j] === '"') {
        const q = quoted(j);
        value = q.text;
        isQuoted = true;
        j = q.end;
      }
      if (value === '') throw new QueryError(`${field[1]}${op} needs a value`, query, valueAt);
      node = {
        kind: 'field',
        field: field[1]!,
        op,
        value,
        quoted: isQuoted,
        at: i,
        valueAt,
      } satisfies FieldNode;
    } else if (!negate && (word === 'AND' || word === 'OR' || word === 'NOT')) {
      out.push({ type: word, at: start });
      i = j;
      continue;
    } else if (word === '&&' || word === '||') {
      out.push({ type: word === '&&' ? 'AND' : 'OR', at: start });
      i = j;
      continue;
    } else {
      node = { kind: 'text', text: word, quoted: false, at: i };
    }
    out.push({ type: 'term', at: start, node: negate ? { kind: 'not', child: node } : node });
    i = j;
  }
  out.push({ type: 'EOF', at: query.length });
  return out;
}

/**
 * Parses a search query: terms joined by AND (or nothing), OR and NOT (or a leading '-'),
 * grouped with parentheses; AND binds tighter than OR. An empty query matches everything.
 * Throws a QueryError that says where the query went wrong.
 */
export function parseQuery(query: string): QueryNode {
  const tokens = lex(query);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const describe = (t: Token): string =>
    t.type === 'EOF'
      ? 'the end of the query'
      : t.type === 'term'
        ? `"${query.slice(t.at).split(/\s/)[0]}"`
        : `"${t.type}"`;

  const primary = (): QueryNode => {
    const t = peek();
    if (t.type === '(') {
      pos++;
      const inner = or();
      const close = peek();
      if (close.type !== ')')
        throw new QueryError(
          `expected ")" to close the "(" at position ${t.at + 1}, found ${describe(close)}`,
          query,
          close.at,
        );
      pos++;
      return inner;
    }
    if (t.type === 'term') {
      pos++;
      return t.node;
    }
    throw new QueryError(`expected a search term, found ${describe(t)}`, query, t.at);
  };
  const unary = (): QueryNode => {
    if (peek().type === 'NOT') {
      pos++;
      return { kind: 'not', child: unary() };
    }
    return primary();
  };
  const and = (): QueryNode => {
    const children = [unary()];
    for (;;) {
      const t = peek();
      if (t.type === 'AND') {
        pos++;
        children.push(unary());
      } else if (t.type === 'term' || t.type === '(' || t.type === 'NOT') children.push(unary());
      else break;
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children };
  };
  function or(): QueryNode {
    const children = [and()];
    while (peek().type === 'OR') {
      pos++;
      children.push(and());
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children };
  }

  if (peek().type === 'EOF') return { kind: 'all' };
  const root = or();
  const rest = peek();
  if (rest.type !== 'EOF')
    throw new QueryError(
      rest.type === ')' ? 'unmatched ")"' : `unexpected ${describe(rest)}`,
      query,
      rest.at,
    );
  return root;
}
