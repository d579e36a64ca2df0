import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../../src/simulate/event-queue.js';
import { createRng, hashString } from '../../../src/simulate/prng.js';

describe('createRng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(sa);
    for (const v of sa) expect(v >= 0 && v < 1).toBe(true);
  });
  it('has the right exponential mean and weighted frequencies (loosely)', () => {
    const r = createRng(1);
    let s = 0;
    for (let i = 0; i < 20000; i++) s += r.exponential(10);
    expect(s / 20000).toBeGreaterThan(9.5);
    expect(s / 20000).toBeLessThan(10.5);
    const counts = [0, 0];
    for (let i = 0; i < 20000; i++) counts[r.weighted([3, 1])]!++;
    expect(counts[0]! / 20000).toBeCloseTo(0.75, 1);
  });
  it('hashes strings stably', () => {
    expect(hashString('g75')).toBe(hashString('g75'));
    expect(hashString('')).toBe(0x811c9dc5);
  });
});

describe('EventQueue', () => {
  it('pops by time, then by insertion order', () => {
    const q = new EventQueue();
    q.push(30, { kind: 'cycle' });
    q.push(10, { kind: 'finish', jobIndex: 1, run: 1 });
    q.push(10, { kind: 'finish', jobIndex: 2, run: 1 });
    q.push(20, { kind: 'budget-period', period: 1 });
    q.push(10, { kind: 'finish', jobIndex: 3, run: 1 });
    const out: string[] = [];
    while (q.size > 0) {
      const e = q.pop()!;
      out.push(`${e.time}:${e.event.kind === 'finish' ? e.event.jobIndex : e.event.kind}`);
    }
    expect(out).toEqual(['10:1', '10:2', '10:3', '20:budget-period', '30:cycle']);
  });
  it('orders many random events correctly', () => {
    const r = createRng(5);
    const q = new EventQueue();
    const times = Array.from({ length: 1000 }, () => Math.floor(r.next() * 100));
    times.forEach((t, i) => q.push(t, { kind: 'finish', jobIndex: i, run: 0 }));
    const popped: [number, number][] = [];
    while (q.size > 0) {
      const e = q.pop()!;
      popped.push([e.time, (e.event as { jobIndex: number }).jobIndex]);
    }
    const expected = times.map((t, i) => [t, i] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(popped).toEqual(expected);
  });
});
