import type { ContentHash } from '../../core/index.js';
import type { AnalysedFrame } from '../../media/similarity/index.js';

/**
 * Frames looked at lately, by the content hash of their image (about 22 KB each): a tethered
 * job regrouped as it grows decodes each frame once, not once per look. Bounded; the least
 * recently used go first (the frames of a shoot's current burst are the recent ones).
 */
export class FrameCache {
  private readonly frames = new Map<ContentHash, AnalysedFrame>();

  constructor(private readonly capacity: number) {}

  get(hash: ContentHash): AnalysedFrame | undefined {
    const frame = this.frames.get(hash);
    if (frame !== undefined) {
      this.frames.delete(hash);
      this.frames.set(hash, frame);
    }
    return frame;
  }

  set(hash: ContentHash, frame: AnalysedFrame): void {
    this.frames.delete(hash);
    this.frames.set(hash, frame);
    for (const oldest of this.frames.keys()) {
      if (this.frames.size <= this.capacity) break;
      this.frames.delete(oldest);
    }
  }
}
