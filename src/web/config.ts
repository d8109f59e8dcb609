import { z } from 'zod';

/**
 * The config's `web` section: where the box's web page listens and how a phone gets to change
 * things. Status is readable by anyone who reaches an address listed here; every change needs a
 * session from the pairing code on the e-ink screen, or `password`.
 *
 * ```yaml
 * web:
 *   enabled: true               # the daemon serves the page (fieldbackup web serves it regardless)
 *   listen: [10.42.0.1, 127.0.0.1]   # the hotspot's and the loopback address; never 0.0.0.0 by default
 *   port: 8080
 *   password: "long enough secret"   # optional: instead of a pairing code
 * ```
 */
export const webConfigSchema = z
  .strictObject({
    /** The appliance's daemon starts the web server (fieldbackup web ignores this). */
    enabled: z.boolean().default(false),
    /** Interface addresses to bind, each one exactly (no wildcard unless written here). */
    listen: z
      .array(z.union([z.ipv4(), z.ipv6()], { message: 'an IPv4 or IPv6 address' }))
      .min(1)
      .default(['127.0.0.1']),
    /** 0 picks a free port (tests). */
    port: z.number().int().min(0).max(65535).default(8080),
    /** A password that opens a session like a pairing code does (at least 10 characters). */
    password: z.string().min(10, 'at least 10 characters').optional(),
    /** How long a session lasts without use. */
    sessionMinutes: z
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60)
      .default(12 * 60),
  })
  .prefault({});

export type WebConfig = z.infer<typeof webConfigSchema>;
