/** The parsed form of a search query; positions are 0-based offsets into the query text. */
export type QueryNode =
  | { readonly kind: 'all' }
  | { readonly kind: 'and' | 'or'; readonly children: readonly QueryNode[] }
  | { readonly kind: 'not'; readonly child: QueryNode }
  | FieldNode
  | TextNode;

export type Comparison = ':' | '=' | '>' | '>=' | '<' | '<=';

export interface FieldNode {
  readonly kind: 'field';
  /** As typed (an alias is resolved when the query is compiled). */
  readonly field: string;
  readonly op: Comparison;
  readonly value: string;
  /** The value was quoted: a phrase, never a range or wildcard. */
  readonly quoted: boolean;
  readonly at: number;
  /** Where the value starts. */
  readonly valueAt: number;
}

export interface TextNode {
  readonly kind: 'text';
  readonly text: string;
  readonly quoted: boolean;
  readonly at: number;
}
