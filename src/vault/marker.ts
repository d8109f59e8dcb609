import * as fs from 'node:fs/promises';
import { z } from 'zod';
import { FieldBackupError, newVaultId, type VaultId } from '../core/index.js';
import { errnoOf, mkdirDurable, writeFileAtomic } from '../platform/index.js';
import { vaultPaths } from './layout.js';
import { DEFAULT_PATH_TEMPLATE, PathTemplate } from './path-template.js';

export const VAULT_FORMAT_VERSION = 1;

const markerSchema = z.object({
  format: z.literal('fieldbackup-vault'),
  formatVersion: z.number().int().min(1),
  id: z.string().min(1),
  label: z.string().min(1),
  created: z.string(),
  pathTemplate: z.string().default(DEFAULT_PATH_TEMPLATE),
});

export interface VaultMarker {
  readonly format: 'fieldbackup-vault';
  readonly formatVersion: number;
  readonly id: VaultId;
  readonly label: string;
  readonly created: string;
  readonly pathTemplate: string;
}

export interface InitVaultOptions {
  readonly label?: string;
  readonly pathTemplate?: string;
  readonly now?: Date;
}

/** Writes the vault marker and the folders of an empty vault; refuses a folder that already is a vault. */
export async function initVault(
  root: string,
  options: InitVaultOptions = {},
): Promise<VaultMarker> {
  const paths = vaultPaths(root);
  const marker = newMarker(root, options);
  await mkdirDurable(paths.photos);
  await mkdirDurable(paths.tmp);
  try {
    await writeFileAtomic(paths.marker, markerText(marker));
  } catch (err) {
    if (errnoOf(err) === 'EEXIST') {
      throw new FieldBackupError('E_VAULT_EXISTS', `${root} is already a vault`, {
        subject: { vault: root },
      });
    }
    throw err;
  }
  return marker;
}

/** A new vault's marker (checks the template); `root` gives the default label. */
export function newMarker(root: string, options: InitVaultOptions = {}): VaultMarker {
  const template = options.pathTemplate ?? DEFAULT_PATH_TEMPLATE;
  PathTemplate.parse(template);
  return {
    format: 'fieldbackup-vault',
    formatVersion: VAULT_FORMAT_VERSION,
    id: newVaultId(),
    label: options.label ?? defaultLabel(root),
    created: (options.now ?? new Date()).toISOString(),
    pathTemplate: template,
  };
}

/** The marker file's text, as every vault stores it. */
export function markerText(marker: VaultMarker): string {
  return `${JSON.stringify(marker, null, 2)}\n`;
}

export async function readMarker(root: string): Promise<VaultMarker> {
  const path = vaultPaths(root).marker;
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (err) {
    const errno = errnoOf(err);
    if (errno === 'ENOENT') {
      const rootExists = await fs.stat(root).then(
        () => true,
        () => false,
      );
      throw rootExists
        ? new FieldBackupError(
            'E_NOT_A_VAULT',
            `${root} is not a vault (no ${path}); run "fieldbackup vault init ${root}"`,
            {
              subject: { vault: root },
            },
          )
        : new FieldBackupError(
            'E_VAULT_MISSING',
            `vault ${root} is missing (is the SSD mounted?)`,
            {
              subject: { vault: root },
              retryable: true,
            },
          );
    }
    throw new FieldBackupError(
      'E_VAULT_MISSING',
      `cannot read vault marker ${path}: ${errno ?? String(err)}`,
      {
        subject: { vault: root },
        cause: err,
      },
    );
  }
  return parseMarker(text, path, root);
}

/** Checks a marker's text; errors name the file (`where`) and the field. */
export function parseMarker(text: string, where: string, root: string): VaultMarker {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new FieldBackupError('E_NOT_A_VAULT', `vault marker ${where} is not valid JSON`, {
      subject: { vault: root },
      cause: err,
    });
  }
  const result = markerSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new FieldBackupError(
      'E_NOT_A_VAULT',
      `vault marker ${where}: field "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}`,
      {
        subject: { vault: root, field: issue?.path.join('.') },
      },
    );
  }
  if (result.data.formatVersion > VAULT_FORMAT_VERSION) {
    throw new FieldBackupError(
      'E_NOT_A_VAULT',
      `vault ${root} has format version ${result.data.formatVersion}; this FieldBackup reads up to ${VAULT_FORMAT_VERSION}`,
      {
        subject: { vault: root, field: 'formatVersion' },
      },
    );
  }
  return { ...result.data, format: 'fieldbackup-vault', id: result.data.id as VaultId };
}

function defaultLabel(root: string): string {
  const parts = root.split('/').filter((p) => p !== '');
  return parts.at(-1) ?? 'vault';
}
