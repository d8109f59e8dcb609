/** The box's one button; press lengths are the appliance's business. */
export interface Button {
  /** Calls `listener(true)` when pressed, `listener(false)` when released. Returns `stop`. */
  watch(listener: (pressed: boolean) => void): () => void;
  close(): void;
}
