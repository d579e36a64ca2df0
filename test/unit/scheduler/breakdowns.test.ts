import { describe, expect, it } from 'vitest';
import { PriorityBreakdowns } from '../../../src/scheduler/breakdowns.js';

describe('PriorityBreakdowns', () => {
  // Job indices 0 (a) and 1 (b), walked b first.
  const t = new PriorityBreakdowns(Int32Array.from([1, 0]), ['a', 'b'], Float64Array.from([10, 1, 2, 3, 4, 20, 5, 6, 7, 2]));

  it('reads entries by walk index as breakdown objects', () => {
    expect(t.length).toBe(2);
    expect(t.at(0)).toEqual({ jobId: 'b', priority: 20, factors: { fairshare: 5, age: 6, qos: 7, size: 2 } });
    expect(t.priority(1)).toBe(10);
    expect(t.jobId(1)).toBe('a');
    expect(t.jobIds).toEqual(['b', 'a']);
    expect(t.toArray().map((b) => b.jobId)).toEqual(['b', 'a']);
    expect(PriorityBreakdowns.of(t.toArray()).toArray()).toEqual(t.toArray());
  });

  it('refuses entries that do not exist and values that do not match the ids', () => {
    expect(() => t.at(2)).toThrow(/no breakdown entry 2 \(there are 2\)/);
    expect(() => t.at(-1)).toThrow(RangeError);
    expect(() => new PriorityBreakdowns(Int32Array.from([0]), ['a'], new Float64Array(4))).toThrow(/do not match/);
    expect(() => new PriorityBreakdowns(Int32Array.from([0, 0]), ['a'], new Float64Array(5))).toThrow(/more breakdown entries/);
    expect(PriorityBreakdowns.empty().length).toBe(0);
  });
});
