export * from './fields.js';
export * from './query-ast.js';
export * from './query-error.js';
export * from './query-parser.js';
export * from './search.js';
export { distanceKm } from './query-values.js';
