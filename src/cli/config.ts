import { join } from 'node:path';
import { loadConfig, type Config } from '../appliance/config/index.js';
import { homeDir } from '../catalog/index.js';
import type { CliIo } from './io.js';

/**
 * The config a command runs with: `--config FILE` (must exist), else `config.yaml` in the
 * catalog's home when there is one, else the defaults.
 */
export function cliConfig(io: CliIo, flags: { config?: string; home?: string }): Promise<Config> {
  if (flags.config !== undefined) return loadConfig(flags.config);
  return loadConfig(join(homeDir(flags.home, io.env), 'config.yaml'), false);
}
