import { describe, expect, it } from 'vitest';
import { runCycle } from '../../../src/scheduler/cycle.js';
import type { CycleDecisions } from '../../../src/scheduler/types.js';
import { budget, dispatchOf, flatTree, job, pool, run, snap, verdictOf } from '../../helpers/scheduler-builders.js';

const p1 = pool('p1', { nodes: 4, gpus: 8 });
const accounts = flatTree({ a: 1, b: 3 }); // nominal on 32 GPUs: a 8, b 24

/** "run" / "run borrowed" / the pending reason, per job. */
function summary(d: CycleDecisions, ids: string[]): Record<string, string> {
  return Object.fromEntries(ids.map((id) => {
    const x = dispatchOf(d, id);
    return [id, x ? (x.borrowed ? 'run borrowed' : 'run') : verdictOf(d, id)!.reason];
  }));
}

describe('nominal share and borrowing', () => {
  it('marks work above nominal (counting only guaranteed GPUs) as borrowed', () => {
    const d = runCycle(snap({
      pools: [p1], accounts,
      pending: [job('a1', { gpusPerNode: 8, submittedAt: 1 }), job('a2', { gpusPerNode: 8, submittedAt: 2 }), job('b1', { inst: 'b', gpusPerNode: 8, submittedAt: 3 })],
    }));
    expect(summary(d, ['a1', 'a2', 'b1'])).toEqual({ a1: 'run', a2: 'run borrowed', b1: 'run' });
  });

  it('borrowed running jobs do not use up the guaranteed share', () => {
    const r = run('r', p1, [0], { gpusPerNode: 8, borrowed: true });
    const d = runCycle(snap({ pools: [p1], accounts, running: [r], pending: [job('a1', { gpusPerNode: 8 })] }));
    expect(summary(d, ['a1'])).toEqual({ a1: 'run' });
  });

  it.each([
    { case: 'allocation forbids borrowing', budgets: [budget('a', { mayBorrow: false })], policy: {} },
    { case: 'policy turns borrowing off', budgets: [], policy: { borrowing: false } },
  ])('$case: work above nominal waits with ConcurrentLimit', ({ budgets, policy }) => {
    const d = runCycle(snap({
      pools: [p1], accounts, budgets, policy,
      pending: [job('a1', { gpusPerNode: 8, submittedAt: 1 }), job('a2', { gpusPerNode: 8, submittedAt: 2 }), job('pre', { gpusPerNode: 8, qos: 'preemptible', submittedAt: 3 })],
    }));
    expect(summary(d, ['a1', 'a2', 'pre'])).toEqual({ a1: 'run', a2: 'ConcurrentLimit', pre: 'run borrowed' });
    expect(verdictOf(d, 'a2')!.message).toBe('institution a is at its nominal share (8 GPUs) and may not borrow idle GPUs');
  });

  it('per GPU type: nominal is a share of each type', () => {
    const a100 = pool('pa', { nodes: 2, gpus: 8, type: 'A100' });
    const h100 = pool('ph', { nodes: 2, gpus: 8, type: 'H100' });
    const d = runCycle(snap({
      pools: [a100, h100], accounts: flatTree({ a: 1, b: 1 }), policy: { nominalShareBy: 'gpuType' },
      pending: [job('x', { gpusPerNode: 8, gpuTypes: ['A100'], submittedAt: 1 }), job('y', { gpusPerNode: 8, gpuTypes: ['A100'], submittedAt: 2 }), job('z', { gpusPerNode: 8, gpuTypes: ['H100'], submittedAt: 3 })],
    }));
    expect(summary(d, ['x', 'y', 'z'])).toEqual({ x: 'run', y: 'run borrowed', z: 'run' });
  });

  it('per GPU type without borrowing: an `any` job goes to a type where it is within nominal', () => {
    const a100 = pool('pa', { nodes: 2, gpus: 8, type: 'A100' });
    const h100 = pool('ph', { nodes: 2, gpus: 8, type: 'H100' });
    const r = run('r', a100, [0], { gpusPerNode: 8 });
    const d = runCycle(snap({
      pools: [a100, h100], accounts: flatTree({ a: 1, b: 1 }), policy: { nominalShareBy: 'gpuType' }, budgets: [budget('a', { mayBorrow: false })],
      running: [r], pending: [job('j', { gpusPerNode: 8, gpuTypes: ['any'] })],
    }));
    expect(dispatchOf(d, 'j')).toMatchObject({ poolId: 'ph', borrowed: false });
  });
});

describe('concurrent-GPU caps', () => {
  it.each([
    { case: 'institution cap', budgets: [budget('a', { maxConcurrentGpus: 12 })], expected: { j1: 'run', j2: 'ConcurrentLimit', j3: 'run borrowed' } },
    { case: 'project cap', budgets: [budget('a'), budget('a', { projectId: 'a-p', maxConcurrentGpus: 12 })], expected: { j1: 'run', j2: 'ConcurrentLimit', j3: 'run borrowed' } },
    { case: 'no cap', budgets: [budget('a')], expected: { j1: 'run', j2: 'run borrowed', j3: 'run borrowed' } },
  ])('$case', ({ budgets, expected }) => {
    const d = runCycle(snap({
      pools: [p1], accounts, budgets,
      pending: [job('j1', { gpusPerNode: 8, submittedAt: 1 }), job('j2', { gpusPerNode: 8, submittedAt: 2 }), job('j3', { gpusPerNode: 4, submittedAt: 3 })],
    }));
    expect(summary(d, ['j1', 'j2', 'j3'])).toEqual(expected);
  });

  it('counts running jobs against the cap, and says so', () => {
    const r = run('r', p1, [0], { gpusPerNode: 8 });
    const d = runCycle(snap({ pools: [p1], accounts, budgets: [budget('a', { maxConcurrentGpus: 10 })], running: [r], pending: [job('j', { gpusPerNode: 4 })] }));
    expect(verdictOf(d, 'j')).toMatchObject({ reason: 'ConcurrentLimit', message: 'institution a may hold 10 GPUs at once; 8 in use and the job needs 4' });
  });
});
