import { describe, expect, it } from 'vitest';
import { runCycle } from '../../../src/scheduler/cycle.js';
import type { CycleDecisions, PendingJob, RunningJob, SchedulerPolicy } from '../../../src/scheduler/types.js';
import { T0, dispatchOf, flatTree, job, pool, run, snap, verdictOf } from '../../helpers/scheduler-builders.js';

// 16 GPUs, institutions a and b with equal shares: nominal 8 each.
const p = pool('p', { nodes: 2, gpus: 8 });
const threeWay = flatTree({ a: 2, b: 1, c: 1 }); // nominal on 16: a 8, b 4, c 4
const halves = flatTree({ a: 1, b: 1 });

function cycle(running: RunningJob[], pending: PendingJob[], policy: Partial<SchedulerPolicy> = {}, acc = halves): CycleDecisions {
  return runCycle(snap({ pools: [p], accounts: acc, running, pending, policy }));
}

const preempted = (d: CycleDecisions): string[] => d.preempt.map((x) => x.jobId);

describe('reclaim', () => {
  const own = run('b-own', p, [0], { inst: 'b', gpusPerNode: 8 });
  const lent = run('b-lent', p, [1], { inst: 'b', gpusPerNode: 8, borrowed: true });

  it('preempts borrowed work of another institution for a blocked job within its nominal share', () => {
    const d = cycle([own, lent], [job('a1', { gpusPerNode: 8 })]);
    expect(d.preempt).toEqual([{ jobId: 'b-lent', forJobId: 'a1' }]);
    expect(dispatchOf(d, 'a1')).toBeUndefined();
    expect(verdictOf(d, 'a1')).toMatchObject({ reason: 'Resources', estimatedStart: T0, message: expect.stringMatching(/^GPUs are being reclaimed: 1 borrowed job\(s\) \(8 GPUs\) on pool c1\/p/) });
  });

  it.each([
    { what: 'the job would itself be borrowed (above nominal)', pending: [job('a1', { gpusPerNode: 8, nodes: 2 })], policy: {} },
    { what: 'reclaim is off', pending: [job('a1', { gpusPerNode: 8 })], policy: { reclaim: false } },
    { what: 'the blocked job is preemptible', pending: [job('a1', { gpusPerNode: 8, qos: 'preemptible' as const })], policy: {} },
  ])('does nothing when $what', ({ pending, policy }) => {
    expect(preempted(cycle([own, lent], pending, policy))).toEqual([]);
  });

  it('never preempts a job inside its institution’s nominal share, nor its own institution’s', () => {
    const mine = run('a-lent', p, [1], { inst: 'a', gpusPerNode: 8, borrowed: true });
    expect(preempted(cycle([own, mine], [job('a1', { gpusPerNode: 8 })]))).toEqual([]);
    // b marked borrowed, but b now runs only 8 GPUs = its nominal: not above it, so not a victim.
    expect(preempted(cycle([lent], [job('a1', { gpusPerNode: 16, nodes: 1 })]))).toEqual([]);
  });

  it('preemptible jobs are always reclaimable', () => {
    const pre = run('b-pre', p, [1], { inst: 'b', gpusPerNode: 8, qos: 'preemptible' });
    expect(preempted(cycle([own, pre], [job('a1', { gpusPerNode: 8 })]))).toEqual(['b-pre']);
  });

  it('takes the lowest priority first, then the youngest, and only as many as needed', () => {
    const four = (id: string, startedAgoS: number, extra: Partial<RunningJob> = {}): RunningJob =>
      run(id, p, [1], { inst: 'b', gpusPerNode: 2, borrowed: true, startedAgoS, submittedAt: T0 - 7_200_000, ...extra });
    const victims = [four('high', 10, { qos: 'high' }), four('older', 300), four('younger', 100), four('pre', 50, { qos: 'preemptible' })];
    const d = cycle([own, ...victims], [job('a1', { gpusPerNode: 4 })]);
    expect(preempted(d)).toEqual(['pre', 'younger']);
  });

  it('holds the free GPUs it will need, so lower jobs cannot take them', () => {
    const half = run('b-half', p, [1], { inst: 'b', gpusPerNode: 4, borrowed: true });
    const d = cycle([own, half], [job('a1', { gpusPerNode: 8 }), job('c-small', { inst: 'c', gpusPerNode: 4, submittedAt: T0 })], {}, threeWay);
    expect(preempted(d)).toEqual(['b-half']);
    expect(dispatchOf(d, 'c-small')).toBeUndefined();
  });

  it('does not preempt two victims when one on a better node suffices', () => {
    const big = pool('q', { nodes: 2, gpus: 8 });
    const running = [
      run('v-a', big, [0], { inst: 'b', gpusPerNode: 4, borrowed: true, qos: 'preemptible' }),
      run('v-b', big, [1], { inst: 'b', gpusPerNode: 2, borrowed: true, qos: 'preemptible' }),
      run('busy', big, [1], { inst: 'b', gpusPerNode: 6 }),
      run('busy0', big, [0], { inst: 'b', gpusPerNode: 4 }),
    ];
    const d = runCycle(snap({ pools: [big], accounts: halves, running, pending: [job('a1', { gpusPerNode: 4 })] }));
    expect(preempted(d)).toHaveLength(1);
  });
});

describe('reclaim cooldown', () => {
  // a runs 8 GPUs (its nominal share) on node 0; node 1 is idle. b-victim was preempted 5 minutes ago.
  const aOwn = run('a-own', p, [0], { inst: 'a', gpusPerNode: 8 });
  const victim = (preemptedAgoS: number, extra: Partial<PendingJob> = {}) => job('a-victim', { inst: 'a', gpusPerNode: 8, preemptedAt: T0 - preemptedAgoS * 1000, ...extra });

  it('keeps a just-preempted job off lent GPUs until its cooldown ends, saying when', () => {
    const d = cycle([aOwn], [victim(300)]);
    expect(dispatchOf(d, 'a-victim')).toBeUndefined();
    expect(verdictOf(d, 'a-victim')).toMatchObject({ reason: 'ConcurrentLimit', message: `preempted recently to give GPUs back: it may run on lent (borrowed) GPUs again from ${new Date(T0 + 300_000).toISOString()}, or sooner within its institution's share` });
  });

  it('lets it borrow once the cooldown is over, or at once when the cooldown is off', () => {
    expect(dispatchOf(cycle([aOwn], [victim(600)]), 'a-victim')).toMatchObject({ borrowed: true });
    expect(dispatchOf(cycle([aOwn], [victim(300)], { reclaimCooldownSeconds: 0 }), 'a-victim')).toMatchObject({ borrowed: true });
  });

  it('does not hold back a preempted job that fits within its institution’s share', () => {
    expect(dispatchOf(cycle([], [victim(10)]), 'a-victim')).toMatchObject({ borrowed: false });
  });

  it('holds a preemptible job too (it only ever runs on lent GPUs)', () => {
    const d = cycle([], [victim(10, { qos: 'preemptible' })]);
    expect(verdictOf(d, 'a-victim')).toMatchObject({ reason: 'ConcurrentLimit' });
  });
});
