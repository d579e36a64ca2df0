import { describe, expect, it } from 'vitest';
import { runCycle } from '../../../src/scheduler/cycle.js';
import { T0, dispatchOf, flatTree, job, pool, run, snap, tree, verdictOf } from '../../helpers/scheduler-builders.js';

// 32 GPUs; a and b have equal shares (nominal 16 each). a already runs 16, so a's next job would borrow.
const p = pool('p', { nodes: 4, gpus: 8 });
const running = [run('a0', p, [0], { gpusPerNode: 8 }), run('a1', p, [1], { gpusPerNode: 8 })];
const pending = [
  job('a-top', { gpusPerNode: 8, qos: 'high' }), // highest priority, but above a's nominal share
  job('b-low', { inst: 'b', gpusPerNode: 8, submittedAt: T0 }),
  job('b-low2', { inst: 'b', gpusPerNode: 8, submittedAt: T0 }),
];

describe('guaranteed work first (reclaim on)', () => {
  it('walks jobs within their nominal share before jobs that would borrow', () => {
    const d = runCycle(snap({ pools: [p], accounts: flatTree({ a: 1, b: 1 }), running, pending }));
    expect(dispatchOf(d, 'b-low')).toMatchObject({ borrowed: false });
    expect(dispatchOf(d, 'b-low2')).toMatchObject({ borrowed: false });
    expect(dispatchOf(d, 'a-top')).toBeUndefined();
    expect(d.priorities.jobIds).toEqual(['b-low', 'b-low2', 'a-top']);
    expect(d.preempt).toEqual([]);
  });

  it('without reclaim, plain priority order: the borrower goes first', () => {
    const d = runCycle(snap({ pools: [p], accounts: flatTree({ a: 1, b: 1 }), running, pending, policy: { reclaim: false } }));
    expect(dispatchOf(d, 'a-top')).toMatchObject({ borrowed: true });
    expect(dispatchOf(d, 'b-low2')).toBeUndefined(); // the borrower took its GPUs; without reclaim b waits
  });

  it("never lets an institution's own small jobs overtake its big job", () => {
    const one = tree({ a: { projects: { 'a-p': { users: ['big', 'small'] } } } });
    const d = runCycle(snap({
      pools: [p], accounts: one, running,
      usage: { 'a-p/small': 1000 },
      pending: [job('big', { userId: 'big', nodes: 4, gpusPerNode: 8 }), job('small', { userId: 'small', gpusPerNode: 8, walltimeSeconds: 100 * 3600 })],
    }));
    // big (best fair share) waits for the whole pool; small may not take a node big has reserved.
    expect(verdictOf(d, 'big')!.reason).toBe('Reserved');
    expect(d.priorities.at(0).jobId).toBe('big');
    expect(dispatchOf(d, 'small')).toBeUndefined();
  });
});
