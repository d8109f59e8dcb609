export * from './config.js';
export * from './find-in-folder.js';
export * from './stack-captures.js';
export * from './background-stacker.js';
export * from './economy.js';
export * from './stack-query.js';
export * from './quiet-stacking.js';
export * from './stack-region.js';
