/**
 * Small, readable builders for scheduler snapshots. Defaults describe one institution `a` with project
 * `a-p` and user `u`, one cluster `c1` at site `s1`, policy = defaultPolicy, now = T0. Running jobs take
 * their GPUs from the nodes they name, so tests never hand-compute freeGpus.
 */
import { defaultPolicy } from '../../src/scheduler/policy.js';
import type {
  AccountNode, BudgetState, CycleDecisions, DispatchDecision, PendingJob, PendingVerdict, PoolState, RunningJob, SchedulerPolicy, SchedulerSnapshot,
} from '../../src/scheduler/types.js';
import { userAccountId } from '../../src/scheduler/types.js';

/** The instant every builder defaults to (2025-01-01T00:00:00Z). */
export const T0 = Date.UTC(2025, 0, 1);
export const HOUR = 3_600;
export const HOUR_MS = 3_600_000;

/** A pool of `nodes` nodes with `gpus` GPUs each, all free and healthy unless told otherwise. */
export function pool(poolId: string, opts: {
  nodes?: number; gpus?: number; type?: string; cluster?: string; site?: string; available?: boolean;
  unhealthy?: number[]; nodeGpus?: number[];
} = {}): PoolState {
  const sizes = opts.nodeGpus ?? Array.from({ length: opts.nodes ?? 1 }, () => opts.gpus ?? 8);
  return {
    clusterId: opts.cluster ?? 'c1', poolId, siteId: opts.site ?? 's1', gpuType: opts.type ?? 'A100',
    clusterAvailable: opts.available ?? true,
    nodes: sizes.map((g, i) => ({ name: `${poolId}-n${i}`, totalGpus: g, freeGpus: g, healthy: !(opts.unhealthy ?? []).includes(i) })),
  };
}

/** Institutions → projects → users; shares default to 1. `{ a: { p: ['u'] } }` or with shares via tuples. */
export type TreeSpec = Record<string, { shares?: number; projects: Record<string, { shares?: number; users: Record<string, number> | string[] }> }>;

/** Build the account tree from a spec (user leaves are `userAccountId(project, user)`). */
export function tree(spec: TreeSpec): AccountNode {
  return {
    id: 'national', shares: 1,
    children: Object.entries(spec).map(([inst, i]) => ({
      id: inst, shares: i.shares ?? 1,
      children: Object.entries(i.projects).map(([proj, p]) => ({
        id: proj, shares: p.shares ?? 1,
        children: (Array.isArray(p.users) ? p.users.map((u) => [u, 1] as const) : Object.entries(p.users))
          .map(([u, s]) => ({ id: userAccountId(proj, u), shares: s })),
      })),
    })),
  };
}

/** One institution per entry with shares, each with project `<inst>-p` and user `u`. */
export function flatTree(shares: Record<string, number>): AccountNode {
  const spec: TreeSpec = {};
  for (const [inst, s] of Object.entries(shares)) spec[inst] = { shares: s, projects: { [`${inst}-p`]: { users: ['u'] } } };
  return tree(spec);
}

/** A pending job; institution `inst` implies project `<inst>-p` and user `u` unless given. */
export function job(id: string, opts: Partial<PendingJob> & { inst?: string } = {}): PendingJob {
  const inst = opts.inst ?? opts.institutionId ?? 'a';
  const { inst: _inst, ...rest } = opts;
  return {
    id, institutionId: inst, projectId: `${inst}-p`, userId: 'u', qos: 'normal', nodes: 1, gpusPerNode: 1,
    walltimeSeconds: HOUR, submittedAt: T0 - HOUR_MS, gpuTypes: ['any'], ...rest,
  };
}

/** A running job on `pool`'s nodes (by index), started `startedAgoS` seconds before T0. */
export function run(id: string, on: PoolState, nodeIdx: number[], opts: Partial<RunningJob> & { inst?: string; startedAgoS?: number } = {}): RunningJob {
  const inst = opts.inst ?? opts.institutionId ?? 'a';
  const { inst: _inst, startedAgoS, ...rest } = opts;
  const startedAt = T0 - (startedAgoS ?? 0) * 1000;
  return {
    id, institutionId: inst, projectId: `${inst}-p`, userId: 'u', qos: 'normal', nodes: nodeIdx.length, gpusPerNode: 1,
    walltimeSeconds: HOUR, submittedAt: startedAt - 60_000, clusterId: on.clusterId, poolId: on.poolId, gpuType: on.gpuType,
    nodeNames: nodeIdx.map((i) => on.nodes[i]!.name), startedAt, borrowed: false, ...rest,
  };
}

/** A budget row for an institution (hard, generous, may borrow unless told otherwise). */
export function budget(inst: string, opts: Partial<BudgetState> = {}): BudgetState {
  return { institutionId: inst, limitGpuSeconds: 1e12, spentGpuSeconds: 0, kind: 'hard', gracePct: 0, mayBorrow: true, ...opts };
}

/** A snapshot; running jobs' GPUs are subtracted from the pools' nodes (pools are copied, not mutated). */
export function snap(opts: {
  pools?: PoolState[]; running?: RunningJob[]; pending?: PendingJob[]; accounts?: AccountNode; usage?: Record<string, number>;
  budgets?: BudgetState[]; policy?: Partial<SchedulerPolicy>; now?: number;
} = {}): SchedulerSnapshot {
  const pools = (opts.pools ?? [pool('p1')]).map((p) => ({ ...p, nodes: p.nodes.map((n) => ({ ...n })) }));
  for (const r of opts.running ?? []) {
    const p = pools.find((x) => x.clusterId === r.clusterId && x.poolId === r.poolId);
    for (const name of r.nodeNames) {
      const node = p?.nodes.find((n) => n.name === name);
      if (node) node.freeGpus -= r.gpusPerNode;
    }
  }
  return {
    now: opts.now ?? T0, policy: { ...defaultPolicy, ...opts.policy }, accounts: opts.accounts ?? flatTree({ a: 1 }),
    usage: opts.usage ?? {}, budgets: opts.budgets ?? [], pools, running: opts.running ?? [], pending: opts.pending ?? [],
  };
}

/** The verdict of a job in a cycle's decisions, or undefined. */
export function verdictOf(d: CycleDecisions, id: string): PendingVerdict | undefined {
  return d.pending.find((v) => v.jobId === id);
}

/** The dispatch of a job in a cycle's decisions, or undefined. */
export function dispatchOf(d: CycleDecisions, id: string): DispatchDecision | undefined {
  return d.dispatch.find((x) => x.jobId === id);
}
