export * from './preview.js';
