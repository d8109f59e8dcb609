import { FieldBackupError } from '../../core/index.js';

/** A query the parser or a field cannot make sense of, with where in the text the problem is. */
export class QueryError extends FieldBackupError {
  constructor(
    message: string,
    readonly query: string,
    /** 0-based offset of the problem in `query`. */
    readonly position: number,
  ) {
    super('E_QUERY', `${message} (at position ${position + 1})`, { subject: { field: 'query' } });
  }

  /** The query with a caret under the problem, for a terminal. */
  pointer(): string {
    return `${this.query}\n${' '.repeat(Math.min(this.position, this.query.length))}^`;
  }
}
