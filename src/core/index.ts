export * from './clock.js';
export * from './errors.js';
export * from './events.js';
export * from './ids.js';
export * from './logger.js';
export * from './metadata.js';
export * from './source.js';
export * from './tier.js';
