import { describe, expect, it } from 'vitest';
import { ReorderBuffer } from '../src/reorder-buffer.js';

function buffer(windowMs = 250) {
  const out: string[] = [];
  return { out, b: new ReorderBuffer<string>(windowMs, (x) => out.push(x)) };
}

describe('tap reorder buffer', () => {
  it('puts requests from two sidecars that arrive out of order within the window in time order', () => {
    const { out, b } = buffer();
    b.push('a@100', 100, 1_000); // sidecar A
    b.push('b@50', 50, 1_010); // sidecar B, earlier request, arrives later
    b.push('a@120', 120, 1_020);
    expect(b.release(1_200)).toBe(1_250);
    expect(out).toEqual([]);
    b.release(1_250);
    expect(out).toEqual(['b@50', 'a@100']);
    b.release(1_270);
    expect(out).toEqual(['b@50', 'a@100', 'a@120']);
    expect(b.release(1_270)).toBeUndefined();
  });

  it('holds no request longer than the window after it arrives', () => {
    const { out, b } = buffer(250);
    b.push('x', 5_000, 0); // a clock far ahead: still shown 250 ms after it arrived
    expect(b.release(249)).toBe(250);
    b.release(250);
    expect(out).toEqual(['x']);
  });

  it('shows a request that arrives later than the window out of order rather than dropping it', () => {
    const { out, b } = buffer();
    b.push('new', 200, 0);
    b.release(250);
    b.push('old', 100, 600);
    b.release(850);
    expect(out).toEqual(['new', 'old']);
  });

  it('keeps arrival order for equal times and releases everything on flush, in time order', () => {
    const { out, b } = buffer();
    b.push('first', 10, 0);
    b.push('second', 10, 1);
    b.push('zero', 0, 2);
    b.flush();
    expect(out).toEqual(['zero', 'first', 'second']);
    expect(b.size).toBe(0);
  });

  it('sorts a shuffled stream of 10,000 requests arriving within the window', () => {
    const { out, b } = buffer(250);
    const times = Array.from({ length: 10_000 }, (_, i) => i);
    for (let i = times.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [times[i], times[j]] = [times[j]!, times[i]!];
    }
    times.forEach((t, i) => b.push(String(t), t, i / 100)); // 10,000 arrivals within 100 ms
    b.release(400);
    expect(out.map(Number)).toEqual([...times].sort((x, y) => x - y));
  });
});
