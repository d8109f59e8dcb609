export * from './config.js';
export * from './find-in-folder.js';
export * from './stack-captures.js';
