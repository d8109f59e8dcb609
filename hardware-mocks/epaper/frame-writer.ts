import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { framePng } from '../../src/index.js';
import type { DisplayedFrame } from './ssd1680-sim.js';

/** Writes each frame the simulated panel shows as a PNG (frame-0001-full.png …) and latest.png. */
export class FrameWriter {
  private writing: Promise<void> = Promise.resolve();
  readonly written: string[] = [];

  constructor(readonly dir: string) {}

  add(shown: DisplayedFrame): void {
    this.writing = this.writing.then(async () => {
      await fs.mkdir(this.dir, { recursive: true });
      const png = await framePng(shown.frame);
      const path = join(
        this.dir,
        `frame-${String(shown.index).padStart(4, '0')}-${shown.mode}.png`,
      );
      await fs.writeFile(path, png);
      await fs.writeFile(join(this.dir, 'latest.png'), png);
      this.written.push(path);
    });
  }

  flushed(): Promise<void> {
    return this.writing;
  }
}
