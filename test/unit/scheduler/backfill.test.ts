import { describe, expect, it } from 'vitest';
import { runCycle } from '../../../src/scheduler/cycle.js';
import type { CycleDecisions, PendingJob, SchedulerPolicy } from '../../../src/scheduler/types.js';
import { HOUR, HOUR_MS, T0, dispatchOf, job, pool, run, snap, verdictOf } from '../../helpers/scheduler-builders.js';

// Two 8-GPU nodes: n0 busy until T0+2h, n1 half busy until T0+4h (4 GPUs free now).
const p = pool('p', { nodes: 2, gpus: 8 });
const busy = [
  run('r0', p, [0], { gpusPerNode: 8, walltimeSeconds: 2 * HOUR }),
  run('r1', p, [1], { gpusPerNode: 4, walltimeSeconds: 4 * HOUR }),
];
/** The highest-priority job: a whole-pool gang, blocked until both nodes drain. */
const big = job('big', { nodes: 2, gpusPerNode: 8, qos: 'high' });

function cycle(pending: PendingJob[], policy: Partial<SchedulerPolicy> = {}, pools = [p], running = busy): CycleDecisions {
  return runCycle(snap({ pools, running, pending, policy }));
}

function fate(d: CycleDecisions, id: string): string {
  const x = dispatchOf(d, id);
  return x ? (x.backfilled ? 'backfilled' : 'run') : verdictOf(d, id)!.reason;
}

describe('reservations', () => {
  it('reserve the earliest time running walltimes free enough GPUs, on those nodes', () => {
    const d = cycle([big]);
    expect(d.reservations).toEqual([{ jobId: 'big', clusterId: 'c1', poolId: 'p', startAt: T0 + 4 * HOUR_MS, nodeNames: ['p-n0', 'p-n1'] }]);
    expect(verdictOf(d, 'big')).toMatchObject({ reason: 'Reserved', estimatedStart: T0 + 4 * HOUR_MS, position: 1 });
  });

  it.each([
    { what: 'a job ending before the reservation starts', wall: 1, fate: 'backfilled' },
    { what: 'a job ending exactly at the reservation start', wall: 4, fate: 'backfilled' },
    { what: 'a job that would run past the reservation', wall: 10, fate: 'Priority' },
  ])('backfill: $what → $fate', ({ wall, fate: expected }) => {
    const d = cycle([big, job('small', { gpusPerNode: 4, walltimeSeconds: wall * HOUR })], { backfillDepth: 1 });
    expect(fate(d, 'small')).toBe(expected);
  });

  it('a blocked job within the first K gets its own reservation, after the ones above it', () => {
    const d = cycle([big, job('small', { gpusPerNode: 4, walltimeSeconds: 10 * HOUR })]);
    // big holds both nodes from T0+4h to T0+5h; small can have 4 GPUs once that hold ends.
    expect(verdictOf(d, 'small')).toMatchObject({ reason: 'Reserved', estimatedStart: T0 + 5 * HOUR_MS, position: 2 });
  });

  it('a long job may start on nodes and GPUs the reservation does not need', () => {
    const three = pool('p', { nodes: 3, gpus: 8 });
    const running = [run('r0', three, [0], { gpusPerNode: 8, walltimeSeconds: 2 * HOUR }), run('r1', three, [1], { gpusPerNode: 8, walltimeSeconds: 4 * HOUR })];
    // gang needs all three nodes at T0+4h, so n2 (free now) takes only work that ends by then.
    const gang = job('gang', { nodes: 3, gpusPerNode: 8, qos: 'high' });
    const d = cycle([gang, job('long', { gpusPerNode: 8, walltimeSeconds: 100 * HOUR })], { backfillDepth: 1 }, [three], running);
    expect(d.reservations[0]).toMatchObject({ jobId: 'gang', startAt: T0 + 4 * HOUR_MS });
    expect(fate(d, 'long')).toBe('Priority');
    const half = job('half', { gpusPerNode: 4, qos: 'high' });
    const d2 = cycle([half, job('long', { gpusPerNode: 4, walltimeSeconds: 100 * HOUR })], {}, [three], running);
    // half fits now on n2; long takes the other half of n2: nobody waits.
    expect([fate(d2, 'half'), fate(d2, 'long')]).toEqual(['run', 'run']);
  });

  it('uses slack: a reserved node with more GPUs than the reservation needs still takes long work', () => {
    const one = pool('p', { nodes: 1, gpus: 8 });
    const running = [run('r', one, [0], { gpusPerNode: 6, walltimeSeconds: 2 * HOUR })];
    const want4 = job('want4', { gpusPerNode: 4, qos: 'high' });
    // want4 reserves 4 GPUs at T0+2h; at that time 8 are free, so 4 stay spare: a 2-GPU long job fits now.
    const d = cycle([want4, job('long2', { gpusPerNode: 2, walltimeSeconds: 100 * HOUR })], {}, [one], running);
    expect(d.reservations[0]).toMatchObject({ jobId: 'want4', startAt: T0 + 2 * HOUR_MS });
    expect(fate(d, 'long2')).toBe('backfilled');
  });

  it('later reservations do not collide with earlier ones', () => {
    const d = cycle([big, job('big2', { nodes: 2, gpusPerNode: 8, walltimeSeconds: 3 * HOUR })]);
    expect(d.reservations.map((r) => [r.jobId, (r.startAt - T0) / HOUR_MS])).toEqual([['big', 4], ['big2', 5]]);
  });

  it('only the first K blocked jobs get a reservation; later ones still cannot delay them', () => {
    const d = cycle([big, job('big2', { nodes: 2, gpusPerNode: 8 }), job('small', { gpusPerNode: 4, walltimeSeconds: 10 * HOUR })], { backfillDepth: 1 });
    expect(d.reservations.map((r) => r.jobId)).toEqual(['big']);
    expect(fate(d, 'big2')).toBe('Resources');
    expect(fate(d, 'small')).toBe('Priority');
  });

  it('strict priority order (K = 0): a blocked job freezes its pools for everything below it', () => {
    const d = cycle([big, job('small', { gpusPerNode: 4, walltimeSeconds: HOUR })], { backfillDepth: 0 });
    expect(d.reservations).toEqual([]);
    expect(verdictOf(d, 'big')!.reason).toBe('Resources');
    expect(verdictOf(d, 'small')).toMatchObject({ reason: 'Priority', message: expect.stringContaining('strict priority order') });
  });

  it('jobs started before anything blocked are not marked backfilled', () => {
    const d = cycle([job('first', { gpusPerNode: 4, qos: 'high' }), { ...big, qos: 'normal' }]);
    expect(fate(d, 'first')).toBe('run');
  });
});
