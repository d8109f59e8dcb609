/** The box's API as the page uses it (same origin; the session cookie rides along). */

export interface JobView {
  jobId: string;
  source: { name: string; kind: string };
  state: 'running' | 'finished' | 'interrupted';
  phase?: string;
  startedAt: number;
  endedAt?: number;
  safeToFormat: boolean;
  verdict: string;
  files: { done: number; total: number };
  bytes: { done: number; total: number };
  tiers: {
    tier: string;
    copied: number;
    total: number;
    pending: number;
    short: number;
    notCopied: number;
    verified: { vault: string; captures: number }[];
  }[];
  problems: string[];
}

export interface WebStatus {
  at: number;
  jobs: JobView[];
  box: {
    battery?: { percent: number; charging: boolean };
    sync?: string;
    errors: string[];
    lines?: string[];
  };
}

export interface Tile {
  id: number;
  name: string;
  card: string;
  time?: string;
  rating?: number;
  label?: string;
  flag?: string;
  tier: string;
  stack?: { id: string; kind: string; count: number };
  stackPick?: boolean;
}

export interface GalleryPage {
  total: number;
  tiles: Tile[];
  next?: number;
}

export interface CaptureDetail extends Tile {
  files: { path: string; format: string; size: number; tier: string }[];
  camera?: string;
  lens?: string;
  exposure: string[];
  gps?: { lat: number; lon: number; alt?: number };
  keywords: string[];
  title?: string;
  caption?: string;
  stackId?: string;
}

export interface Edit {
  rating?: number;
  label?: string;
  flag?: 'pick' | 'reject' | 'none';
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let csrf: string | undefined;

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrf !== undefined) headers['x-csrf-token'] = csrf;
  const response = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const data = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (!response.ok) throw new ApiError(response.status, data.error ?? `HTTP ${response.status}`);
  return data;
}

/** What a pick did to the capture's copies: a pick is never kept on one SSD. */
export interface PickCopies {
  copied: { vault: string; path: string }[];
  failed: { vault: string; path: string; reason: string }[];
  waiting?: string;
}

export const api = {
  status: () => call<WebStatus>('GET', '/api/status'),
  gallery: (q: string, offset: number) =>
    call<GalleryPage>(
      'GET',
      `/api/captures?${new URLSearchParams({ q, offset: String(offset), limit: '60' }).toString()}`,
    ),
  stack: (id: string) => call<GalleryPage>('GET', `/api/stacks/${encodeURIComponent(id)}`),
  capture: (id: number) => call<CaptureDetail>('GET', `/api/captures/${id}`),
  async session(): Promise<boolean> {
    const s = await call<{ paired: boolean; csrf?: string }>('GET', '/api/session');
    csrf = s.csrf;
    return s.paired;
  },
  async pair(secret: { code?: string; password?: string }): Promise<void> {
    const s = await call<{ csrf: string }>('POST', '/api/session', secret);
    csrf = s.csrf;
  },
  edit: (id: number, edit: Edit) =>
    call<{
      tile: Tile;
      written: string[];
      failed: { vault: string; reason: string }[];
      copies: PickCopies;
    }>('POST', `/api/captures/${id}/edit`, edit),
};
