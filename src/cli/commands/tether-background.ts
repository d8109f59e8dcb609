import type { ExifTool } from 'exiftool-vendored';
import {
  BackgroundStacker,
  ExifToolHintReader,
  ExifToolMetadataReader,
  MediaPreviewSource,
  MetadataIndexer,
  QuietStacking,
  resolveProfile,
  type Catalog,
  type Config,
} from '../../index.js';
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
