import * as fs from 'node:fs/promises';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { FieldBackupError } from '../../core/index.js';
import { errnoOf } from '../../platform/index.js';
import { CONFIG_VERSION, configSchema, type Config } from './schema.js';

/** Step v → v+1 on the raw document, applied before validation. */
const MIGRATIONS: Readonly<
  Record<number, (doc: Record<string, unknown>) => Record<string, unknown>>
> = {};

/** Parses and validates a config document; errors name the file, the field and what is wrong. */
export function parseConfig(text: string, source = 'config'): Config {
  let doc: unknown;
  try {
    doc = parseYaml(text) ?? {};
  } catch (err) {
    const where =
      err instanceof YAMLParseError && err.linePos !== undefined
        ? ` at line ${err.linePos[0].line}`
        : '';
    throw new FieldBackupError(
      'E_CONFIG',
      `${source}: not valid YAML${where}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
      {
        subject: { path: source },
      },
    );
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new FieldBackupError('E_CONFIG', `${source}: must be a mapping of sections`, {
      subject: { path: source },
    });
  }
  let raw = doc as Record<string, unknown>;
  const version = raw.version ?? CONFIG_VERSION;
  if (typeof version !== 'number' || version > CONFIG_VERSION) {
    throw new FieldBackupError(
      'E_CONFIG',
      `${source}: field "version": ${JSON.stringify(version)} is newer than this FieldBackup (${CONFIG_VERSION})`,
      {
        subject: { path: source, field: 'version' },
      },
    );
  }
  for (let v = version; v < CONFIG_VERSION; v++) raw = MIGRATIONS[v]?.(raw) ?? raw;
  const result = configSchema.safeParse({ ...raw, version: CONFIG_VERSION });
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    throw new FieldBackupError(
      'E_CONFIG',
      `${source}: field "${field}": ${issue?.message ?? 'invalid'}`,
      {
        subject: { path: source, field },
      },
    );
  }
  return result.data;
}

/** Reads a config file; a missing file is an error only when `required`. */
export async function loadConfig(path: string, required = true): Promise<Config> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (err) {
    if (!required && errnoOf(err) === 'ENOENT') return parseConfig('version: 1', path);
    throw new FieldBackupError(
      'E_CONFIG',
      `cannot read config ${path}: ${errnoOf(err) ?? String(err)}`,
      { subject: { path }, cause: err },
    );
  }
  return parseConfig(text, path);
}
