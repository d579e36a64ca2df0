import { describe, expect, it } from 'vitest';
import { runCycle } from '../../../src/scheduler/cycle.js';
import type { BudgetState, PendingJob, RunningJob } from '../../../src/scheduler/types.js';
import { HOUR, budget, dispatchOf, job, pool, run, snap, verdictOf } from '../../helpers/scheduler-builders.js';

const p1 = pool('p1', { nodes: 4, gpus: 8 });

/** Run one cycle on a 32-GPU pool and report what happened to each job. */
function outcome(budgets: BudgetState[], pending: PendingJob[], running: RunningJob[] = []): Record<string, string> {
  const d = runCycle(snap({ pools: [p1], budgets, pending, running }));
  return Object.fromEntries(pending.map((j) => [j.id, dispatchOf(d, j.id) ? 'run' : verdictOf(d, j.id)!.reason]));
}

describe('budgets', () => {
  it.each([
    { case: 'hard budget covers GPUs × walltime', b: budget('a', { limitGpuSeconds: 8 * HOUR }), jobs: [job('j', { gpusPerNode: 8 })], expected: { j: 'run' } },
    { case: 'hard budget one GPU-second short', b: budget('a', { limitGpuSeconds: 8 * HOUR - 1 }), jobs: [job('j', { gpusPerNode: 8 })], expected: { j: 'BudgetExhausted' } },
    { case: 'spent counts', b: budget('a', { limitGpuSeconds: 10 * HOUR, spentGpuSeconds: 3 * HOUR }), jobs: [job('j', { gpusPerNode: 8 })], expected: { j: 'BudgetExhausted' } },
    {
      case: 'admissions earlier in the cycle are committed',
      b: budget('a', { limitGpuSeconds: 12 * HOUR }),
      jobs: [job('first', { gpusPerNode: 8, submittedAt: 1 }), job('second', { gpusPerNode: 8, submittedAt: 2 }), job('small', { gpusPerNode: 4, submittedAt: 3 })],
      expected: { first: 'run', second: 'BudgetExhausted', small: 'run' },
    },
    { case: 'soft budget admits within grace', b: budget('a', { kind: 'soft', limitGpuSeconds: 8 * HOUR, spentGpuSeconds: HOUR, gracePct: 20 }), jobs: [job('j', { gpusPerNode: 8 })], expected: { j: 'run' } },
    { case: 'soft budget past grace refuses normal jobs', b: budget('a', { kind: 'soft', limitGpuSeconds: 8 * HOUR, spentGpuSeconds: 3 * HOUR, gracePct: 20 }), jobs: [job('j', { gpusPerNode: 8 })], expected: { j: 'BudgetExhausted' } },
    { case: 'soft budget past grace still runs preemptible jobs', b: budget('a', { kind: 'soft', limitGpuSeconds: 8 * HOUR, spentGpuSeconds: 9 * HOUR, gracePct: 20 }), jobs: [job('j', { gpusPerNode: 8, qos: 'preemptible' })], expected: { j: 'run' } },
    { case: 'hard budget refuses preemptible jobs too', b: budget('a', { limitGpuSeconds: HOUR }), jobs: [job('j', { gpusPerNode: 8, qos: 'preemptible' })], expected: { j: 'BudgetExhausted' } },
    { case: 'no budget row: not limited here', b: budget('other'), jobs: [job('j', { gpusPerNode: 8 })], expected: { j: 'run' } },
  ])('$case', ({ b, jobs, expected }) => {
    expect(outcome([b], jobs)).toEqual(expected);
  });

  it("commits running jobs' remaining walltime × GPUs", () => {
    const r = run('r', p1, [0], { gpusPerNode: 4, walltimeSeconds: 4 * HOUR, startedAgoS: 2 * HOUR });
    // 4 GPUs × 2 h remaining = 8 GPU-h committed; 10 GPU-h limit leaves 2: a 4-GPU-hour job does not fit.
    expect(outcome([budget('a', { limitGpuSeconds: 10 * HOUR })], [job('j', { gpusPerNode: 4 })], [r])).toEqual({ j: 'BudgetExhausted' });
    expect(outcome([budget('a', { limitGpuSeconds: 12 * HOUR })], [job('j', { gpusPerNode: 4 })], [r])).toEqual({ j: 'run' });
  });

  it('project budgets cover their project only, on top of the institution budget', () => {
    const budgets = [budget('a'), budget('a', { projectId: 'a-p', limitGpuSeconds: HOUR })];
    const jobs = [job('inP', { gpusPerNode: 2 }), job('other', { gpusPerNode: 2, projectId: 'a-q' })];
    expect(outcome(budgets, jobs)).toEqual({ inP: 'BudgetExhausted', other: 'run' });
  });

  it('says which budget and by how much', () => {
    const d = runCycle(snap({ pools: [p1], budgets: [budget('a', { limitGpuSeconds: 2 * HOUR })], pending: [job('j', { gpusPerNode: 4 })] }));
    expect(verdictOf(d, 'j')!.message).toBe('hard budget of institution a exhausted: 2.0 GPU-h left of 2.0 (spent 0.0, committed 0.0); the job needs 4.0 GPU-h');
  });
});
