export * from './plan-tags.js';
export * from './wall-clock.js';
