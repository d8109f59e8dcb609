import { join } from 'node:path';
import { readStatusFile, STATUS_FILE } from '../../appliance/index.js';
import { Catalog, homeDir } from '../../catalog/index.js';
import { FieldBackupError, type JobId, type JobStatus } from '../../core/index.js';
import { boxStatusLines } from '../../status/index.js';
import { recentJobStatus, statusOfJob } from '../../ingest/index.js';
import { statusLines } from '../../tiers/index.js';
import { jsonLine, type CliIo } from '../io.js';

export interface StatusFlags {
  readonly home?: string;
  readonly json?: boolean;
  /** One job by id. */
  readonly job?: string;
  /** Every job, not only the latest of each card. */
  readonly all?: boolean;
  readonly limit?: string;
}

/** Prints what the latest jobs secured, per tier, and whether each card is safe to format. */
export async function statusCommand(io: CliIo, flags: StatusFlags): Promise<number> {
  const limit = flags.limit === undefined ? 10 : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new FieldBackupError(
      'E_USAGE',
      `--limit must be a whole number ≥ 1, not ${flags.limit}`,
      {
        subject: { field: 'limit' },
      },
    );
  }
  const home = homeDir(flags.home, io.env);
  const box = flags.job === undefined ? await readStatusFile(join(home, STATUS_FILE)) : undefined;
  if (box !== undefined) {
    if (flags.json === true) jsonLine(io, { event: 'box', live: box.live, ...box.status });
    else {
      const lines = boxStatusLines(box.status);
      if (!box.live) lines[0] = `${lines[0] ?? 'Box:'} (daemon not running; its last status)`;
      io.stdout.write(`${lines.join('\n')}\n\n`);
    }
  }
  const catalog = await Catalog.open(home);
  try {
    let jobs: JobStatus[];
    if (flags.job !== undefined) {
      const one = statusOfJob(catalog, flags.job as JobId);
      if (one === undefined) {
        throw new FieldBackupError('E_USAGE', `no job ${flags.job} in the catalog`, {
          subject: { field: 'job' },
        });
      }
      jobs = [one];
    } else {
      jobs = recentJobStatus(catalog, { limit, everyJob: flags.all === true });
    }
    if (flags.json === true) {
      for (const job of jobs) jsonLine(io, { event: 'job', ...job });
    } else if (jobs.length === 0) {
      io.stdout.write('No ingest yet.\n');
    } else {
      io.stdout.write(jobs.map(text).join('\n'));
    }
    return 0;
  } finally {
    await catalog.close();
  }
}

function text(job: JobStatus): string {
  const when = new Date(job.endedAt ?? job.startedAt).toISOString().slice(0, 16).replace('T', ' ');
  const state = job.state === 'running' ? 'running' : `${job.state} ${when} UTC`;
  const head = `${job.source.name} (${job.source.kind}, ${job.source.location}): job ${job.jobId}, ${state}`;
  return `${[head, ...statusLines(job)].join('\n')}\n`;
}
