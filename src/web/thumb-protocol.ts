/** One thumbnail to make: the files to take the preview from (best first) and where it goes. */
export interface ThumbRequest {
  readonly id: number;
  readonly sources: readonly string[];
  readonly out: string;
  /** Longest side, pixels. */
  readonly px: number;
  /** The capture's EXIF orientation, for previews without their own. */
  readonly orientation?: number;
}

export type ThumbReply =
  | { readonly id: number; readonly ok: true }
  | { readonly id: number; readonly ok: false; readonly reason: string };
