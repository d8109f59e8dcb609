export * from './formats/index.js';
export * from './metadata/index.js';
export * from './plan-tags.js';
export * from './wall-clock.js';
