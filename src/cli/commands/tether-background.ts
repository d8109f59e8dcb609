import type { ExifTool } from 'exiftool-vendored';
import { type Config } from '../../appliance/config/index.js';
import { type Catalog } from '../../catalog/index.js';
import { MetadataIndexer } from '../../ingest/index.js';
import { BackgroundStacker, QuietStacking, resolveProfile } from '../../ingest/stacks/index.js';
import { ExifToolMetadataReader } from '../../media/index.js';
import { ExifToolHintReader, MediaPreviewSource } from '../../media/similarity/index.js';
import { jsonLine, type CliIo } from '../io.js';
import { indexHuman, stackHuman } from './ingest.js';

/**
 * The metadata index and, unless the config turns it off, the stacks: looked for once no shot
 * arrived for a few seconds, incrementally. Without the stack economy: the session holds the
 * vaults locked while it runs, and the economy only removes copies from locked vaults.
 */
export function tetherBackground(
  io: CliIo,
  json: boolean,
  config: Config,
  catalog: Catalog,
  exiftool: ExifTool,
): { indexer: MetadataIndexer; stacking?: QuietStacking } {
  const indexer = new MetadataIndexer({
    catalog,
    reader: new ExifToolMetadataReader(exiftool),
    onEvent: (e) => {
      // A session without a shot has no index to speak of.
      if (e.event === 'indexed' && e.files === 0) return;
      if (json) jsonLine(io, e);
      else indexHuman(io, e, undefined);
    },
  });
  if (!config.similarity.background) return { indexer };
  const stacker = new BackgroundStacker({
    catalog,
    profile: resolveProfile(config.similarity),
    previews: new MediaPreviewSource(exiftool),
    hints: new ExifToolHintReader(exiftool),
    onEvent: (e) => (json ? jsonLine(io, e) : stackHuman(io, e)),
  });
  return { indexer, stacking: new QuietStacking({ stacker, indexed: () => indexer.idle() }) };
}
