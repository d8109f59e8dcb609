const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

const SIZE_RE = /^(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)?$/i;

/** Bytes from a config size: a number of bytes, or "500 MB", "2GB", "1.5 GiB". Undefined when malformed. */
export function parseSize(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  const m = SIZE_RE.exec(value.trim());
  if (m === null) return undefined;
  return Math.round(Number(m[1]) * (UNITS[(m[2] ?? 'b').toLowerCase()] ?? 1));
}

/** "1.2 GB": decimal units, as drives are sold. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** Free space a vault keeps: a fixed amount, or a share of the vault's capacity. */
export type Reserve = { readonly bytes: number } | { readonly percent: number };

const PERCENT_RE = /^(\d+(?:\.\d+)?)\s*%$/;

/** A reserve from the config: a size ("2 GB", bytes) or a share of the vault ("1%", at most 50 %). */
export function parseReserve(value: number | string): Reserve | undefined {
  const m = typeof value === 'string' ? PERCENT_RE.exec(value.trim()) : null;
  if (m !== null) {
    const percent = Number(m[1]);
    return percent <= 50 ? { percent } : undefined;
  }
  const bytes = parseSize(value);
  return bytes === undefined ? undefined : { bytes };
}

/** The bytes a reserve keeps on a vault of this capacity. */
export function reserveBytes(reserve: Reserve, capacityBytes: number): number {
  return 'bytes' in reserve ? reserve.bytes : Math.ceil((capacityBytes * reserve.percent) / 100);
}

/** "1.0 GB", "1%". */
export function reserveText(reserve: Reserve): string {
  return 'bytes' in reserve ? formatBytes(reserve.bytes) : `${reserve.percent}%`;
}
