import { z } from 'zod';
import { hardwareSection } from '../../hardware/config.js';
import { tiersSection } from '../../tiers/index.js';
import { syncConfigSchema } from '../../sync/config.js';
import { webConfigSchema } from '../../web/config.js';
import { similaritySection } from '../../ingest/stacks/config.js';

/** The config file's version; a change adds a step to MIGRATIONS in load.ts. */
export const CONFIG_VERSION = 1;

const ingestSection = z
  .strictObject({
    /** Files in flight at once. */
    concurrency: z.number().int().min(1).max(8).default(2),
    /** Re-hash every file on re-insertion instead of trusting path + size + mtime. */
    paranoid: z.boolean().default(false),
  })
  .prefault({});

/**
 * fieldbackup.yaml. Each subsystem owns its section; unknown keys are errors, so a typo never
 * silently falls back to a default.
 */
export const configSchema = z.strictObject({
  version: z.literal(CONFIG_VERSION),
  /** Where the catalog lives (device: /var/lib/fieldbackup). */
  home: z.string().min(1).optional(),
  /** Vault roots the box writes to (the appliance recognises SSDs by vault id, wherever they mount). */
  vaults: z.array(z.string().min(1)).default([]),
  ingest: ingestSection,
  tiers: tiersSection,
  hardware: hardwareSection,
  sync: syncConfigSchema,
  web: webConfigSchema,
  similarity: similaritySection,
});

export type Config = z.infer<typeof configSchema>;
