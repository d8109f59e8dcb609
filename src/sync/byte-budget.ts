/**
 * Bytes in flight, shared by the objects being sent: many small files go at once (their
 * round trips overlap), a few large ones (each already keeps the pipe full). An object larger
 * than the budget still goes, alone. First come, first served, so a large object is never
 * overtaken for ever by small ones.
 */
export class ByteBudget {
  private used = 0;
  private readonly waiting: { readonly bytes: number; readonly go: () => void }[] = [];

  constructor(private readonly capacity: number) {}

  /** Waits for room for `bytes`; returns the release. */
  async take(bytes: number): Promise<() => void> {
    const want = Math.min(bytes, this.capacity);
    if (this.waiting.length === 0 && this.fits(want)) this.used += want;
    // The release that makes room counts these bytes in before waking this taker.
    else await new Promise<void>((go) => this.waiting.push({ bytes: want, go }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= want;
      for (
        let next = this.waiting[0];
        next !== undefined && this.fits(next.bytes);
        next = this.waiting[0]
      ) {
        this.waiting.shift();
        this.used += next.bytes;
        next.go();
      }
    };
  }

  private fits(bytes: number): boolean {
    return this.used === 0 || this.used + bytes <= this.capacity;
  }
}
