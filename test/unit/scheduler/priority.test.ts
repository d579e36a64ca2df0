import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeFairTree } from '../../../src/scheduler/fairshare.js';
import { defaultPolicy } from '../../../src/scheduler/policy.js';
import { scheduleOrder, weighFactors, type PriorityContext } from '../../../src/scheduler/priority.js';
import { runCycle } from '../../../src/scheduler/cycle.js';
import { orderByKey } from '../../../src/scheduler/sort-order.js';
import { HOUR_MS, T0, flatTree, job, snap } from '../../helpers/scheduler-builders.js';

const DAY = 86_400;
const ctx: PriorityContext = { now: T0, policy: defaultPolicy, tree: computeFairTree(flatTree({ a: 1 }), {}), sizeNormGpus: 64 };

describe('multifactor priority', () => {
  it.each([
    { what: 'age grows linearly', submittedAgoS: 3.5 * DAY, age: 500 },
    { what: 'age is capped at maxAge', submittedAgoS: 30 * DAY, age: 1000 },
    { what: 'a job from the future has age 0', submittedAgoS: -DAY, age: 0 },
  ])('$what', ({ submittedAgoS, age }) => {
    const f = weighFactors(job('j', { submittedAt: T0 - submittedAgoS * 1000 }), ctx, 1);
    expect(f.age).toBeCloseTo(age, 9);
  });

  it.each([
    { qos: 'high' as const, qosPart: 2000 },
    { qos: 'normal' as const, qosPart: 1000 },
    { qos: 'preemptible' as const, qosPart: 0 },
  ])('QoS $qos weighs $qosPart', ({ qos, qosPart }) => {
    expect(weighFactors(job('j', { qos }), ctx, 1).qos).toBe(qosPart);
  });

  it('size is GPUs over the largest pool, capped at 1', () => {
    expect(weighFactors(job('j', { nodes: 2, gpusPerNode: 8 }), ctx, 1).size).toBe(500 * (16 / 64));
    expect(weighFactors(job('j', { nodes: 16, gpusPerNode: 8 }), ctx, 1).size).toBe(500);
  });

  it('the breakdown parts add up to the priority', () => {
    const f = weighFactors(job('j', { qos: 'high', nodes: 4, gpusPerNode: 8, submittedAt: T0 - DAY * 1000 }), ctx, 0.5);
    expect(f.priority).toBeCloseTo(f.fairshare + f.age + f.qos + f.size, 9);
    expect(f.fairshare).toBe(5000);
  });
});

describe('scheduling order', () => {
  it('priority descending, then submit time, then id; fifo ignores priority', () => {
    const jobs = [job('b', { submittedAt: 2 }), job('a', { submittedAt: 2 }), job('c', { submittedAt: 1 }), job('d', { submittedAt: 3 })];
    const prio = Float64Array.from([5, 5, 5, 9]);
    const submitted = Float64Array.from(jobs, (j) => j.submittedAt);
    expect(Array.from(scheduleOrder(jobs, prio, 'priority', submitted), (i) => jobs[i]!.id)).toEqual(['d', 'c', 'a', 'b']);
    expect(Array.from(scheduleOrder(jobs, prio, 'fifo', submitted), (i) => jobs[i]!.id)).toEqual(['c', 'a', 'b', 'd']);
  });

  it('orders exactly as the comparator, for integer and fractional priorities alike', () => {
    const prioArb = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 1_000_000 }), fc.double({ min: 0, max: 100, noNaN: true }));
    const row = fc.tuple(prioArb, fc.integer({ min: 0, max: 50 }).map((m) => T0 - m * 1000), fc.constantFrom('a', 'b', 'c', 'd', 'e'));
    fc.assert(fc.property(fc.array(row, { maxLength: 200 }), fc.constantFrom('priority' as const, 'fifo' as const), (rows, ordering) => {
      const jobs = rows.map(([, at, name], k) => job(`${name}${k}`, { submittedAt: at }));
      const prio = Float64Array.from(rows, (r) => r[0]);
      const submitted = Float64Array.from(jobs, (j) => j.submittedAt);
      const expected = jobs.map((_, i) => i).sort((a, b) =>
        (ordering === 'priority' ? prio[b]! - prio[a]! : 0) || submitted[a]! - submitted[b]! || (jobs[a]!.id < jobs[b]!.id ? -1 : 1));
      expect(Array.from(scheduleOrder(jobs, prio, ordering, submitted))).toEqual(expected);
    }), { numRuns: 300 });
  });

  it('reports a breakdown per pending job, in queue order, and positions match it', () => {
    const d = runCycle(snap({
      pools: [],
      pending: [job('old', { submittedAt: T0 - 48 * HOUR_MS }), job('hi', { qos: 'high' }), job('new', { submittedAt: T0 })],
    }));
    expect(d.priorities.jobIds).toEqual(['hi', 'old', 'new']);
    expect(d.pending.map((v) => [v.jobId, v.position])).toEqual([['hi', 1], ['old', 2], ['new', 3]]);
  });

  it('the packed native sort gives exactly the comparator order', () => {
    const keyArb = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(0, 1, 1 + 1e-12, 1e6));
    fc.assert(fc.property(fc.array(fc.tuple(keyArb, fc.integer({ min: 0, max: 5 })), { maxLength: 300 }), (rows) => {
      const key = Float64Array.from(rows, (r) => r[0]);
      const tie = (a: number, b: number): number => key[a]! - key[b]! || rows[a]![1] - rows[b]![1] || a - b;
      const expected = rows.map((_, i) => i).sort(tie);
      expect(Array.from(orderByKey(key, tie))).toEqual(expected);
    }), { numRuns: 300 });
  });
});
