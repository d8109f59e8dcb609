export * from './tier-rule.js';
