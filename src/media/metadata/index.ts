export * from './compare.js';
export * from './exiftool-reader.js';
export * from './merge.js';
export * from './normalize.js';
export * from './tag-set.js';
