import { z } from 'zod';
import { errorMessage } from '../core/index.js';
import { parseTarget } from './target.js';

/**
 * The config's `sync` section: where the NAS vault is, how to log in, and on which Wi-Fi
 * networks the box syncs by itself.
 *
 * ```yaml
 * sync:
 *   target: sftp://photos@nas.local/volume1/photos   # or a mounted share: /mnt/nas/photos
 *   identity: /var/lib/fieldbackup/ssh/id_ed25519
 *   networks: [Home, Studio]
 * ```
 */
export const syncConfigSchema = z
  .strictObject({
    /** The NAS vault: a folder the OS mounts (SMB/NFS), or sftp://user@host[:port]/path. */
    target: z
      .string()
      .min(1)
      .superRefine((value, ctx) => {
        try {
          parseTarget(value);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: errorMessage(err).replace(/^--to: /, '') });
        }
      })
      .optional(),
    /** SFTP: the box's private key (no passphrase: the box logs in unattended). */
    identity: z.string().min(1).optional(),
    /** SFTP: the NAS's host key fingerprint (SHA256:…); without it the first key seen is pinned. */
    hostKey: z
      .string()
      .regex(/^(SHA256:)?[A-Za-z0-9+/]{43}=?$/, 'a SHA256 fingerprint as ssh-keygen -lf prints it')
      .optional(),
    /** Wi-Fi networks (SSIDs) on which the box syncs by itself. */
    networks: z.array(z.string().min(1).max(32)).default([]),
    /** This box's name in the NAS manifests (default: its host name). */
    boxName: z.string().min(1).max(64).optional(),
    /** On battery, sync only above this charge; on external power always. */
    minBatteryPercent: z.number().min(0).max(100).default(30),
    /** wpa_supplicant's Wi-Fi interface, where NetworkManager is not used. */
    wifiInterface: z.string().min(1).optional(),
  })
  .prefault({});

export type SyncConfig = z.infer<typeof syncConfigSchema>;
