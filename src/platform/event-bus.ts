export type Listener<E> = (event: E) => void;

/**
 * Synchronous typed events with isolated listeners: a listener that throws is reported to
 * `onListenerError` and never breaks the emitter (a status screen must not stop a copy).
 */
export class EventBus<E> {
  private readonly listeners = new Set<Listener<E>>();

  constructor(private readonly onListenerError: (err: unknown) => void = () => undefined) {}

  on(listener: Listener<E>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: E): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }
}
