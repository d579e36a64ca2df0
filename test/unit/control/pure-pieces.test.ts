/** The control loop's pure helpers: attempt keys, the account tree, budgets, verdict diffs, backoff, bounded concurrency. */
import { describe, expect, it } from 'vitest';
import { nextDispatchKey } from '../../../src/control/dispatch.js';
import { buildAccountTree, parseLeafId, usageAccountsOf } from '../../../src/control/account-tree.js';
import { toBudgetStates } from '../../../src/control/budgets.js';
import { changedVerdicts, verdictRow } from '../../../src/control/verdicts.js';
import { ClusterHealthBook } from '../../../src/control/cluster-health.js';
import { forEachBounded } from '../../../src/control/bounded.js';
import { toRunningJob, usageAt } from '../../../src/control/snapshot.js';
import type { CycleDecisions } from '../../../src/scheduler/types.js';
import { PriorityBreakdowns } from '../../../src/scheduler/breakdowns.js';
import type { JobRecord } from '../../../src/store/repositories/jobs.js';

describe('dispatch attempt keys', () => {
  it('count up from the previous key, starting at 1, and ignore foreign keys', () => {
    expect(nextDispatchKey('j-1', undefined)).toBe('j-1:1');
    expect(nextDispatchKey('j-1', 'j-1:1')).toBe('j-1:2');
    expect(nextDispatchKey('j-1', 'j-1:41')).toBe('j-1:42');
    expect(nextDispatchKey('j-1', 'other:7')).toBe('j-1:1');
  });
});

describe('account tree', () => {
  const rows = {
    institutions: [{ id: 'a', shares: 2 }, { id: 'b', shares: 1 }],
    projects: [{ id: 'a-p', institutionId: 'a', shares: 1 }, { id: 'b-p', institutionId: 'b', shares: 3 }],
    members: [{ projectId: 'a-p', userId: 'u1' }],
  };

  it('is national → institution → project → user, with leaves for members, job users and users with usage', () => {
    const tree = buildAccountTree(rows, [{ projectId: 'b-p', userId: 'u2' }], ['a-p/u3', 'b-p/u2', 'nope/u9', 'a']);
    expect(tree).toEqual({
      id: 'national', shares: 1, children: [
        { id: 'a', shares: 2, children: [{ id: 'a-p', shares: 1, children: [{ id: 'a-p/u1', shares: 1 }, { id: 'a-p/u3', shares: 1 }] }] },
        { id: 'b', shares: 1, children: [{ id: 'b-p', shares: 3, children: [{ id: 'b-p/u2', shares: 1 }] }] },
      ],
    });
  });

  it('parses leaf ids against known projects, and a job charges each level once', () => {
    expect(parseLeafId('a-p/u/x', new Set(['a-p']))).toEqual({ projectId: 'a-p', userId: 'u/x' });
    expect(parseLeafId('zz/u', new Set(['a-p']))).toBeUndefined();
    expect(usageAccountsOf({ institutionId: 'a', projectId: 'a-p', userId: 'u1' })).toEqual(['national', 'a', 'a-p', 'a-p/u1']);
    expect(usageAccountsOf({ institutionId: 'x', projectId: 'x', userId: 'u' })).toEqual(['national', 'x', 'x/u']);
  });
});

describe('budgets and usage for the snapshot', () => {
  it('limit is GPU-hours × 3600; spent comes from the ledger sums; optional fields only when set', () => {
    const [b] = toBudgetStates([{ id: 'al', institutionId: 'a', projectId: 'a-p', periodStart: 0, periodEnd: 1, gpuHours: 10, kind: 'soft', gracePct: 5, mayBorrow: false }], new Map([['al', 7200]]));
    expect(b).toEqual({ institutionId: 'a', projectId: 'a-p', limitGpuSeconds: 36_000, spentGpuSeconds: 7200, kind: 'soft', gracePct: 5, mayBorrow: false });
  });

  it('decays stored usage to now (one half-life halves it), never forward in time', () => {
    const usage = usageAt([{ accountId: 'x', value: 100, asOf: 0 }, { accountId: 'y', value: 8, asOf: 5000 }], 2000, 2);
    expect(usage['x']).toBeCloseTo(50, 10);
    expect(usage['y']).toBe(8);
  });

  it('a dispatching job holds its nodes from now; one without a known pool is left out', () => {
    const base = { id: 'j', institutionId: 'a', projectId: 'a-p', userId: 'u', state: 'dispatching' as const, submittedAt: 0, clusterId: 'c', poolId: 'p', nodeNames: ['n1'], spec: { name: 'j', projectId: 'a-p', gpuTypes: ['any'], nodes: 1, gpusPerNode: 4, cpusPerNode: 1, memoryGbPerNode: 1, walltimeSeconds: 60, qos: 'normal' as const } };
    const pools = new Map([['p', { id: 'p', clusterId: 'c', name: 'gpu', gpuType: 'L40S', gpusPerNode: 4 }]]);
    expect(toRunningJob(base, pools, 777)).toMatchObject({ startedAt: 777, gpuType: 'L40S', borrowed: false, nodeNames: ['n1'] });
    expect(toRunningJob({ ...base, poolId: 'gone' }, pools, 777)).toBeUndefined();
  });
});

describe('pending verdicts', () => {
  const decisions = (position: number, priority: number, message = 'waiting'): CycleDecisions => ({
    dispatch: [], preempt: [], reservations: [],
    pending: [{ jobId: 'j', reason: 'Resources', position, message }],
    // Entry position − 1 is this job's (the core's invariant); the entries before it are other jobs.
    priorities: PriorityBreakdowns.of(Array.from({ length: position }, (_, k) =>
      k === position - 1 ? { jobId: 'j', priority, factors: { fairshare: 1, age: 2, qos: 3, size: 4 } } : { jobId: `other-${k}`, priority: 0, factors: { fairshare: 0, age: 0, qos: 0, size: 0 } })),
  });
  const stored = (d: CycleDecisions): JobRecord => {
    const row = verdictRow(d.pending[0]!, d.priorities.at(d.pending[0]!.position - 1));
    return { id: 'j', institutionId: 'a', projectId: 'p', userId: 'u', state: 'queued', submittedAt: 0, spec: {} as JobRecord['spec'], reason: row.reason, reasonData: row.reasonData, priority: row.priority };
  };

  it('are written when new, when the reason or message changes, or on a big move; small drifts wait for a refresh', () => {
    const first = decisions(300, 1000);
    const job = new Map([['j', { ...stored(first), reason: undefined, reasonData: undefined, priority: undefined }]]);
    expect(changedVerdicts(first, job, false)).toHaveLength(1);
    const same = new Map([['j', stored(first)]]);
    expect(changedVerdicts(first, same, false)).toHaveLength(0);
    expect(changedVerdicts(decisions(303, 1000.4), same, false)).toHaveLength(0); // within 2 % and under 1 point
    expect(changedVerdicts(decisions(303, 1000.4), same, true)).toHaveLength(1); // a refresh writes any change
    expect(changedVerdicts(decisions(320, 1000), same, false)).toHaveLength(1);
    expect(changedVerdicts(decisions(300, 1001.5), same, false)).toHaveLength(1);
    expect(changedVerdicts(decisions(300, 1000, 'other'), same, false)).toHaveLength(1);
  });

  it('store position, message, factors and priority, rounded', () => {
    const row = verdictRow({ jobId: 'j', reason: 'Reserved', position: 2, message: 'm', estimatedStart: 99 }, { jobId: 'j', priority: 1.23456, factors: { fairshare: 0.11111, age: 0, qos: 1, size: 2 } });
    expect(row).toEqual({ jobId: 'j', reason: 'Reserved', priority: 1.235, reasonData: { position: 2, message: 'm', estimatedStart: 99, priority: 1.235, factors: { fairshare: 0.111, age: 0, qos: 1, size: 2 } } });
  });
});

describe('cluster backoff', () => {
  it('doubles per consecutive failure up to the cap, and an accepted submit clears it', () => {
    const book = new ClusterHealthBook({ baseMs: 10, maxMs: 35 });
    expect(book.failure('c', 0, 'x')).toBe(10);
    expect(book.failure('c', 0, 'y')).toBe(20);
    expect(book.failure('c', 0, 'z')).toBe(35);
    expect(book.isBackedOff('c', 34)).toBe(true);
    expect(book.isBackedOff('c', 35)).toBe(false);
    expect(book.lastError('c')).toBe('z');
    book.success('c');
    expect(book.isBackedOff('c', 0)).toBe(false);
  });
});

describe('forEachBounded', () => {
  it('never runs more than the limit at once, and stops taking items after an escaping error', async () => {
    let inFlight = 0;
    let most = 0;
    const done: number[] = [];
    await forEachBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      done.push(n);
    });
    expect(most).toBe(3);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const started: number[] = [];
    await expect(forEachBounded([1, 2, 3, 4, 5], 1, async (n) => {
      started.push(n);
      if (n === 2) throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(started).toEqual([1, 2]);
  });
});
