export * from './exiftool-process.js';
export * from './formats/index.js';
export * from './metadata/index.js';
export * from './plan-tags.js';
export * from './preview/index.js';
export * from './wall-clock.js';
