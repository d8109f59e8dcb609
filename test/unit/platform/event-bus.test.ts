import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/platform/index.js';

describe('EventBus', () => {
  it('delivers every event to every listener in subscription order', () => {
    const bus = new EventBus<number>();
    const seen: string[] = [];
    bus.on((n) => seen.push(`a${n}`));
    bus.on((n) => seen.push(`b${n}`));
    bus.emit(1);
    bus.emit(2);
    expect(seen).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  it('keeps delivering when a listener throws, and reports the error', () => {
    const reported: unknown[] = [];
    const bus = new EventBus<string>((err) => reported.push(err));
    const boom = new Error('screen broke');
    const seen: string[] = [];
    bus.on((e) => seen.push(`first:${e}`));
    bus.on(() => {
      throw boom;
    });
    bus.on((e) => seen.push(`last:${e}`));
    expect(() => bus.emit('x')).not.toThrow();
    bus.emit('y');
    expect(seen).toEqual(['first:x', 'last:x', 'first:y', 'last:y']);
    expect(reported).toEqual([boom, boom]);
  });

  it('does not throw from emit when no error handler was given', () => {
    const bus = new EventBus<string>();
    let after = 0;
    bus.on(() => {
      throw new Error('x');
    });
    bus.on(() => after++);
    expect(() => bus.emit('e')).not.toThrow();
    expect(after).toBe(1);
  });

  it('stops delivering to a listener after it unsubscribes, others keep receiving', () => {
    const bus = new EventBus<number>();
    const a: number[] = [];
    const b: number[] = [];
    const offA = bus.on((n) => a.push(n));
    bus.on((n) => b.push(n));
    bus.emit(1);
    offA();
    bus.emit(2);
    expect(a).toEqual([1]);
    expect(b).toEqual([1, 2]);
  });

  it('unsubscribing twice is harmless', () => {
    const bus = new EventBus<number>();
    const seen: number[] = [];
    const off = bus.on((n) => seen.push(n));
    off();
    off();
    bus.emit(5);
    expect(seen).toEqual([]);
  });
});
