export * from './config.js';
export * from './file-kind.js';
export * from './folder-pattern.js';
export * from './size.js';
export * from './status.js';
export * from './status-text.js';
export * from './tier-rule.js';
export * from './tiers.js';
