/**
 * Turns button edges into presses: released before `longPressMs` is a short press; held that
 * long is a long press, reported while still held (the box starts shutting down at once, the
 * photographer need not guess when to let go).
 */
export class ButtonGestures {
  private timer: NodeJS.Timeout | undefined;
  private longSent = false;

  constructor(
    private readonly longPressMs: number,
    private readonly onShort: () => void,
    private readonly onLong: () => void,
  ) {}

  readonly edge = (pressed: boolean): void => {
    if (pressed) {
      clearTimeout(this.timer);
      this.longSent = false;
      this.timer = setTimeout(() => {
        this.longSent = true;
        this.onLong();
      }, this.longPressMs);
      return;
    }
    clearTimeout(this.timer);
    if (this.timer !== undefined && !this.longSent) this.onShort();
    this.timer = undefined;
  };

  stop(): void {
    clearTimeout(this.timer);
  }
}
