export * from './folder-source.js';
export * from './ingest.js';
export { Job } from './job.js';
export * from './session.js';
export * from './job-status.js';
export * from './plan.js';
export * from './recovery.js';
export * from './scrub.js';
export * from './vault-set.js';
