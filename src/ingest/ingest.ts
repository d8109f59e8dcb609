import type { IngestDoneEvent, Source } from '../core/index.js';
import { IngestSession, type JobOptions, type SessionOptions } from './session.js';

export interface IngestOptions extends SessionOptions, JobOptions {
  readonly source: Source;
}

/**
 * One ingest from start to end: opens and recovers the vaults, backs up the source, writes
 * the ASC MHL generations, releases the vaults. Throws only for bad usage (not a vault,
 * vault given twice, vault locked, source missing); everything else is in the events.
 */
export async function ingest(options: IngestOptions): Promise<IngestDoneEvent> {
  const session = await IngestSession.open(options);
  try {
    return await session.ingest(options.source, options);
  } finally {
    await session.close();
  }
}
