/**
 * fast-check arbitraries for whole scheduler snapshots: a few institutions, pools of mixed types and node
 * sizes (some unhealthy, some clusters down), running jobs placed consistently on free GPUs, a pending
 * queue with every kind of request (valid, oversized, unknown types, zero walltime), budgets and policies.
 * Small on purpose: the invariants are about interactions, and small cases shrink to readable ones.
 */
import fc from 'fast-check';
import { defaultPolicy, fairshareNoBackfillPolicy, fifoPolicy } from '../../src/scheduler/policy.js';
import type { BudgetState, PendingJob, PoolState, RunningJob, SchedulerSnapshot } from '../../src/scheduler/types.js';
import { userAccountId } from '../../src/scheduler/types.js';
import { T0 } from './scheduler-builders.js';

const MIN = 60_000;
const TYPES = ['A100', 'H100', 'L40S'];
const qosArb = fc.constantFrom('normal' as const, 'high' as const, 'preemptible' as const);

/** Mostly the common case, sometimes the odd one. */
function mostly<T>(common: fc.Arbitrary<T>, odd: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: common, weight: 9 }, { arbitrary: odd, weight: 1 });
}

const specArb = fc.record({
  insts: fc.array(fc.record({ shares: mostly(fc.integer({ min: 1, max: 4 }), fc.constant(0)), projects: fc.integer({ min: 1, max: 2 }), users: fc.integer({ min: 1, max: 2 }) }), { minLength: 1, maxLength: 4 }),
  pools: fc.array(fc.record({
    cluster: fc.integer({ min: 0, max: 2 }), type: fc.constantFrom(...TYPES), site: fc.integer({ min: 0, max: 2 }),
    nodes: fc.array(mostly(fc.constantFrom(4, 8), fc.constantFrom(1, 2)), { minLength: 1, maxLength: 6 }),
  }), { minLength: 1, maxLength: 4 }),
  clusterDown: fc.array(mostly(fc.constant(false), fc.constant(true)), { minLength: 3, maxLength: 3 }),
  unhealthyEvery: mostly(fc.constant(0), fc.integer({ min: 2, max: 5 })),
  running: fc.array(fc.record({
    pool: fc.nat(), inst: mostly(fc.constant(0), fc.nat()), nodes: mostly(fc.constant(1), fc.constant(2)), gpn: fc.constantFrom(1, 2, 4, 8),
    borrowed: fc.boolean(), qos: qosArb, startAgoMin: fc.integer({ min: 0, max: 600 }), wallMin: fc.integer({ min: 30, max: 720 }),
  }), { maxLength: 20 }),
  pending: fc.array(fc.record({
    inst: fc.nat(), proj: fc.nat(), user: fc.nat(), nodes: mostly(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 3, max: 5 })),
    gpn: mostly(fc.constantFrom(1, 2, 4, 8), fc.constant(16)), qos: qosArb,
    types: mostly<string[]>(fc.constantFrom<string[]>(['any'], ['any'], ['any'], ...TYPES.map((t) => [t]), ['A100', 'L40S']), fc.constant(['MI300X'])),
    wallMin: mostly(fc.integer({ min: 10, max: 600 }), fc.constant(0)), submitAgoMin: fc.integer({ min: 0, max: 20_000 }), site: fc.option(fc.integer({ min: 0, max: 2 })),
  }), { maxLength: 25 }),
  budgets: fc.array(fc.record({
    inst: fc.nat(), project: fc.option(fc.nat()), hard: fc.boolean(), limitH: fc.integer({ min: 0, max: 2000 }), spentPct: fc.integer({ min: 0, max: 120 }),
    grace: fc.integer({ min: 0, max: 20 }), cap: fc.option(fc.integer({ min: 1, max: 32 })), mayBorrow: mostly(fc.constant(true), fc.constant(false)),
  }), { maxLength: 4 }),
  usage: fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 16, maxLength: 16 }),
  policy: fc.record({
    base: fc.constantFrom(defaultPolicy, defaultPolicy, fifoPolicy, fairshareNoBackfillPolicy), byType: fc.boolean(), depth: fc.integer({ min: 0, max: 3 }),
    borrowing: mostly(fc.constant(true), fc.constant(false)), reclaim: mostly(fc.constant(true), fc.constant(false)),
  }),
});

type Spec = typeof specArb extends fc.Arbitrary<infer S> ? S : never;

/** Random, internally consistent scheduler snapshots. */
export const snapshotArb: fc.Arbitrary<SchedulerSnapshot> = specArb.map(build);

function build(spec: Spec): SchedulerSnapshot {
  const insts = spec.insts.map((x, i) => ({ ...x, id: `i${i}` }));
  const usage: Record<string, number> = {};
  let u = 0;
  const accounts = {
    id: 'national', shares: 1,
    children: insts.map((inst) => ({
      id: inst.id, shares: inst.shares,
      children: Array.from({ length: inst.projects }, (_, p) => ({
        id: `${inst.id}-p${p}`, shares: 1,
        children: Array.from({ length: inst.users }, (_, k) => {
          const id = userAccountId(`${inst.id}-p${p}`, `u${k}`);
          usage[id] = spec.usage[u++ % spec.usage.length]!;
          return { id, shares: 1 };
        }),
      })),
    })),
  };
  const pools: PoolState[] = spec.pools.map((p, i) => ({
    clusterId: `c${p.cluster}`, poolId: `p${i}`, siteId: `s${p.site}`, gpuType: p.type, clusterAvailable: !spec.clusterDown[p.cluster],
    nodes: p.nodes.map((gpus, k) => ({ name: `p${i}-n${k}`, totalGpus: gpus, freeGpus: gpus, healthy: spec.unhealthyEvery === 0 || (i + k) % spec.unhealthyEvery !== 0 })),
  }));
  const running: RunningJob[] = [];
  spec.running.forEach((r, k) => {
    const pool = pools[r.pool % pools.length]!;
    const nodes = pool.nodes.filter((n) => n.freeGpus >= r.gpn).slice(0, r.nodes);
    if (nodes.length < r.nodes) return;
    for (const n of nodes) n.freeGpus -= r.gpn;
    const inst = insts[r.inst % insts.length]!;
    const startedAt = T0 - r.startAgoMin * MIN;
    running.push({
      id: `r${k}`, institutionId: inst.id, projectId: `${inst.id}-p0`, userId: 'u0', qos: r.qos, nodes: r.nodes, gpusPerNode: r.gpn,
      walltimeSeconds: r.wallMin * 60, submittedAt: startedAt - MIN, clusterId: pool.clusterId, poolId: pool.poolId, gpuType: pool.gpuType,
      nodeNames: nodes.map((n) => n.name), startedAt, borrowed: r.borrowed,
    });
  });
  const pending: PendingJob[] = spec.pending.map((j, k) => {
    const inst = insts[j.inst % insts.length]!;
    return {
      id: `j${k}`, institutionId: inst.id, projectId: `${inst.id}-p${j.proj % (inst.projects + 1)}`, userId: `u${j.user % 3}`, qos: j.qos,
      nodes: j.nodes, gpusPerNode: j.gpn, walltimeSeconds: j.wallMin * 60, submittedAt: T0 - j.submitAgoMin * MIN, gpuTypes: j.types,
      ...(j.site === null ? {} : { preferredSiteId: `s${j.site}` }),
    };
  });
  const budgets: BudgetState[] = spec.budgets.map((b) => {
    const inst = insts[b.inst % insts.length]!;
    const limit = b.limitH * 3600;
    return {
      institutionId: inst.id, ...(b.project === null ? {} : { projectId: `${inst.id}-p${b.project % inst.projects}` }),
      limitGpuSeconds: limit, spentGpuSeconds: Math.floor((limit * b.spentPct) / 100), kind: b.hard ? 'hard' : 'soft', gracePct: b.grace,
      ...(b.cap === null ? {} : { maxConcurrentGpus: b.cap }), mayBorrow: b.mayBorrow,
    };
  });
  const policy = {
    ...spec.policy.base, nominalShareBy: spec.policy.byType ? 'gpuType' as const : 'total' as const,
    backfillDepth: spec.policy.base.backfillDepth === 0 ? 0 : spec.policy.depth, borrowing: spec.policy.borrowing, reclaim: spec.policy.reclaim,
  };
  return { now: T0, policy, accounts, usage, budgets, pools, running, pending };
}
