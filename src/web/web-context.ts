import type { Catalog } from '../catalog/index.js';
import type { Clock, Logger } from '../core/index.js';
import type { CaptureEditor, MountedVault } from './capture-editor.js';
import type { WebConfig } from './config.js';
import type { PairingCodes } from './pairing.js';
import type { RateLimiter } from './rate-limit.js';
import type { Sessions } from './sessions.js';
import type { Asset } from './static-assets.js';
import type { StatusSource } from './status-source.js';
import type { Thumbnails } from './thumbnails.js';

export interface WebServerOptions {
  readonly config: WebConfig;
  readonly catalog: Catalog;
  readonly vaults: readonly MountedVault[];
  readonly status: StatusSource;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The pairing codes shown on the e-ink screen (the appliance passes its own to draw them). */
  readonly pairing?: PairingCodes;
  /** The built front end (default: the build's dist/web). */
  readonly assetsDir?: string;
  /** The compiled thumbnail worker (default: the build's). */
  readonly thumbWorker?: string;
  /** Thumbnails of this many newest captures are made in the background at start. */
  readonly prefetch?: number;
}

/** Everything one address's server shares with the others (sessions hold across addresses). */
export interface WebContext {
  readonly options: WebServerOptions;
  readonly sessions: Sessions;
  readonly pairing: PairingCodes;
  readonly thumbnails: Thumbnails;
  readonly editor: CaptureEditor;
  readonly assets: ReadonlyMap<string, Asset>;
  /** Per client address: all requests, pairing attempts, changes. */
  readonly limits: {
    readonly any: RateLimiter;
    readonly login: RateLimiter;
    readonly change: RateLimiter;
  };
}
