import { JobFileStore, StacksStore, type Catalog, type JobRecord } from '../catalog/index.js';
import type {
  ContentHash,
  JobId,
  JobStatus,
  SingleCopyFile,
  VaultId,
  VerificationMode,
} from '../core/index.js';
import { jobStatus, type FileProgress } from '../tiers/index.js';

/** A job's status per tier, from the catalog (the same after a restart); undefined for an unknown job. */
export function statusOfJob(catalog: Catalog, jobId: JobId): JobStatus | undefined {
  const job = catalog.job(jobId);
  return job === undefined ? undefined : buildStatus(catalog, new JobFileStore(catalog), job);
}

/** The latest jobs, newest first: by default the last one of each source (card, camera). */
export function recentJobStatus(
  catalog: Catalog,
  options: { readonly limit?: number; readonly everyJob?: boolean } = {},
): JobStatus[] {
  const store = new JobFileStore(catalog);
  const jobs = [...catalog.allJobs()].reverse();
  const seen = new Set<string>();
  const chosen = jobs.filter((j) => {
    if (options.everyJob === true) return true;
    if (seen.has(j.sourceId)) return false;
    seen.add(j.sourceId);
    return true;
  });
  return chosen.slice(0, options.limit ?? 10).map((j) => buildStatus(catalog, store, j));
}

function buildStatus(catalog: Catalog, store: JobFileStore, job: JobRecord): JobStatus {
  const source = catalog.source(job.sourceId)?.identity;
  const stacks = new StacksStore(catalog);
  const files: FileProgress[] = [];
  const singleCopy: SingleCopyFile[] = [];
  for (const { hash, ...line } of store.ofJob(job.id)) {
    const copies = copiesOf(catalog, hash);
    // A stack's non-pick frame the economy keeps on fewer copies: that is its requirement now.
    const economy = hash === undefined ? undefined : stacks.economyOf(hash);
    const held = Object.keys(copies).length;
    if (economy !== undefined && held < line.copiesRequired && held >= economy.copies) {
      const role = stacks.role(hash as ContentHash);
      singleCopy.push({
        path: line.relPath,
        tier: line.tier,
        on: Object.keys(copies)
          .map((id) => catalog.vault(id as VaultId)?.label ?? id)
          .join(', '),
        kind: role?.kind ?? 'burst',
      });
      files.push({ ...line, copiesRequired: economy.copies, copies });
    } else files.push({ ...line, copies });
  }
  const detection = stacks.job(job.id);
  return jobStatus(
    {
      jobId: job.id,
      source: {
        id: job.sourceId,
        kind: source?.kind ?? 'folder',
        name: source?.name ?? job.sourceLocation,
        location: job.sourceLocation,
      },
      state: job.state,
      startedAt: job.startedAt,
      ...(job.endedAt === undefined ? {} : { endedAt: job.endedAt }),
      vaults: job.vaults.map((id) => ({ id, label: catalog.vault(id)?.label ?? id })),
      ...(detection === undefined
        ? {}
        : {
            stacks: {
              state: detection.state,
              bursts: detection.bursts,
              brackets: detection.brackets,
              frames: detection.frames,
              ...(detection.reason === undefined ? {} : { reason: detection.reason }),
            },
          }),
      ...(singleCopy.length === 0 ? {} : { singleCopy }),
    },
    files,
    job.totalFiles,
  );
}

function copiesOf(
  catalog: Catalog,
  hash: ContentHash | undefined,
): Record<VaultId, VerificationMode> {
  const out: Record<VaultId, VerificationMode> = {};
  if (hash === undefined) return out;
  for (const [vault, copy] of Object.entries(catalog.object(hash)?.copies ?? {}))
    out[vault as VaultId] = copy.verification;
  return out;
}
