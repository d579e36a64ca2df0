import { describe, expect, it } from 'vitest';
import { runCycle } from '../../../src/scheduler/cycle.js';
import { HOUR, T0, budget, dispatchOf, flatTree, job, pool, run, snap, verdictOf } from '../../helpers/scheduler-builders.js';

describe('pending reasons', () => {
  // One 3-node A100 pool (one node busy for 2 h), one offline H100 cluster; institutions a and b.
  const a100 = pool('pa', { nodes: 3, gpus: 8, type: 'A100' });
  const offline = pool('ph', { cluster: 'c2', nodes: 1, gpus: 8, type: 'H100', available: false });
  const s = snap({
    pools: [a100, offline],
    accounts: flatTree({ a: 1, b: 1, poor: 1, capped: 1 }),
    budgets: [budget('poor', { limitGpuSeconds: HOUR }), budget('capped', { maxConcurrentGpus: 2 })],
    running: [run('r', a100, [0], { gpusPerNode: 8, walltimeSeconds: 2 * HOUR })],
    pending: [
      job('gang', { nodes: 3, gpusPerNode: 8, qos: 'high', gpuTypes: ['A100'] }),
      job('fits', { gpusPerNode: 8, walltimeSeconds: 2 * HOUR, gpuTypes: ['A100'], inst: 'b' }),
      job('after', { gpusPerNode: 8, walltimeSeconds: 9 * HOUR, gpuTypes: ['A100'], inst: 'b', submittedAt: T0 }),
      job('blocked', { gpusPerNode: 8, walltimeSeconds: 9 * HOUR, gpuTypes: ['A100'], submittedAt: T0 }),
      job('h100', { gpuTypes: ['H100'] }),
      job('mi300', { gpuTypes: ['MI300X'] }),
      job('huge', { gpusPerNode: 64 }),
      job('poor', { inst: 'poor', gpusPerNode: 4 }),
      job('capped', { inst: 'capped', gpusPerNode: 4 }),
    ],
  });
  const d = runCycle({ ...s, policy: { ...s.policy, backfillDepth: 2 } });

  it.each([
    ['gang', 'Reserved'],
    ['after', 'Reserved'],
    ['blocked', 'Priority'],
    ['h100', 'ClusterUnavailable'],
    ['mi300', 'GpuTypeUnavailable'],
    ['huge', 'InvalidRequest'],
    ['poor', 'BudgetExhausted'],
    ['capped', 'ConcurrentLimit'],
  ])('%s → %s', (id, reason) => {
    expect(verdictOf(d, id)!.reason).toBe(reason);
    expect(verdictOf(d, id)!.message.length).toBeGreaterThan(20);
  });

  it('Resources when no pool has room now and no reservation is offered', () => {
    const full = runCycle({ ...s, policy: { ...s.policy, backfillDepth: 0 }, pending: [job('x', { nodes: 3, gpusPerNode: 8 })] });
    expect(verdictOf(full, 'x')).toMatchObject({ reason: 'Resources', position: 1 });
    expect(verdictOf(full, 'x')!.estimatedStart).toBeUndefined();
  });

  it('backfills the job that ends before the reservation', () => {
    expect(dispatchOf(d, 'fits')).toMatchObject({ backfilled: true, nodeNames: ['pa-n1'] });
  });

  it('gives every job not dispatched exactly one verdict, with its queue position', () => {
    const ids = s.pending.map((j) => j.id);
    const dispatched = new Set(d.dispatch.map((x) => x.jobId));
    const verdicts = d.pending.map((v) => v.jobId);
    expect(new Set(verdicts).size).toBe(verdicts.length);
    expect([...dispatched, ...verdicts].sort()).toEqual([...ids].sort());
    expect(d.pending.map((v) => v.position)).toEqual([...d.pending.map((v) => v.position)].sort((a, b) => a - b));
    // Positions are places in the walk order, which the priority breakdowns list.
    for (const v of d.pending) expect(d.priorities.at(v.position - 1).jobId).toBe(v.jobId);
  });

  it('Reserved verdicts carry the reservation time', () => {
    for (const r of d.reservations) expect(verdictOf(d, r.jobId)!.estimatedStart).toBe(r.startAt);
    expect(verdictOf(d, 'gang')!.estimatedStart).toBe(T0 + 2 * HOUR * 1000);
  });
});
