/**
 * Seeded scheduler scenarios S, M and L (issue 3): a national account tree, clusters of mixed GPU pools,
 * running jobs that fill most of the grid, and a deep pending queue of 1–64-GPU jobs. The grid is busy on
 * purpose — the interesting cycle is the one where most of the queue cannot start.
 */
import { defaultPolicy } from '../src/scheduler/policy.js';
import type { AccountNode, BudgetState, PendingJob, PoolState, RunningJob, SchedulerSnapshot } from '../src/scheduler/types.js';
import { userAccountId } from '../src/scheduler/types.js';
import type { Qos } from '../src/domain/types.js';
import { Prng } from './prng.js';

/** Size of a scenario. */
export interface ScenarioSpec {
  name: string;
  seed: number;
  institutions: number;
  clusters: number;
  poolsPerCluster: number;
  gpus: number;
  running: number;
  pending: number;
}

/** The three scenarios. */
export const SCENARIOS: ScenarioSpec[] = [
  { name: 'S', seed: 11, institutions: 10, clusters: 2, poolsPerCluster: 2, gpus: 500, running: 250, pending: 1_000 },
  { name: 'M', seed: 22, institutions: 50, clusters: 5, poolsPerCluster: 3, gpus: 2_000, running: 1_000, pending: 10_000 },
  { name: 'L', seed: 33, institutions: 150, clusters: 20, poolsPerCluster: 3, gpus: 10_000, running: 5_000, pending: 100_000 },
];

const GPU_TYPES = ['H100', 'A100', 'L40S', 'MI250', 'V100'];
const NOW = Date.UTC(2025, 5, 1);
const HOUR = 3_600;

interface User { institutionId: string; projectId: string; userId: string }

/** Build the snapshot of a scenario (deterministic in `spec.seed`). */
export function buildScenario(spec: ScenarioSpec): SchedulerSnapshot {
  const rng = new Prng(spec.seed);
  const { accounts, users, usage } = buildAccounts(rng, spec.institutions);
  const pools = buildPools(rng, spec);
  const running = placeRunning(rng, pools, users, spec.running, nominalShares(accounts, pools));
  const pending: PendingJob[] = [];
  for (let i = 0; i < spec.pending; i++) pending.push(pendingJob(rng, users, i));
  return { now: NOW, policy: defaultPolicy, accounts, usage, budgets: buildBudgets(rng, spec.institutions), pools, running, pending };
}

function buildAccounts(rng: Prng, count: number): { accounts: AccountNode; users: User[]; usage: Record<string, number> } {
  const users: User[] = [];
  const usage: Record<string, number> = {};
  const institutions: AccountNode[] = [];
  for (let i = 0; i < count; i++) {
    const institutionId = `inst-${i}`;
    const projects: AccountNode[] = [];
    for (let p = 0, np = rng.int(1, 4); p < np; p++) {
      const projectId = `${institutionId}-proj-${p}`;
      const leaves: AccountNode[] = [];
      for (let u = 0, nu = rng.int(2, 6); u < nu; u++) {
        const userId = `${projectId}-user-${u}`;
        const id = userAccountId(projectId, userId);
        leaves.push({ id, shares: 1 });
        users.push({ institutionId, projectId, userId });
        if (rng.chance(0.8)) usage[id] = Math.floor(rng.next() ** 3 * 5_000 * HOUR);
      }
      projects.push({ id: projectId, shares: rng.int(1, 10), children: leaves });
    }
    institutions.push({ id: institutionId, shares: rng.int(1, 20), children: projects });
  }
  return { accounts: { id: 'national', shares: 1, children: institutions }, users, usage };
}

function buildPools(rng: Prng, spec: ScenarioSpec): PoolState[] {
  const pools: PoolState[] = [];
  const count = spec.clusters * spec.poolsPerCluster;
  const perPool = Math.floor(spec.gpus / count);
  for (let c = 0; c < spec.clusters; c++) {
    const clusterAvailable = spec.clusters < 10 || c !== spec.clusters - 1;
    for (let p = 0; p < spec.poolsPerCluster; p++) {
      const gpusPerNode = rng.chance(0.8) ? 8 : 4;
      const nodes = Array.from({ length: Math.max(1, Math.round(perPool / gpusPerNode)) }, (_, n) => ({
        name: `c${c}-p${p}-n${String(n).padStart(3, '0')}`, totalGpus: gpusPerNode, freeGpus: gpusPerNode, healthy: !rng.chance(0.02),
      }));
      pools.push({ clusterId: `cluster-${c}`, poolId: `pool-${p}`, siteId: `site-${c % 7}`, gpuType: GPU_TYPES[(c + p) % GPU_TYPES.length]!, clusterAvailable, nodes });
    }
  }
  return pools;
}

/** Nominal GPUs per institution: its shares of the healthy GPUs of available pools (as the core counts). */
function nominalShares(accounts: AccountNode, pools: PoolState[]): Map<string, number> {
  let capacity = 0;
  for (const p of pools) if (p.clusterAvailable) for (const n of p.nodes) if (n.healthy) capacity += n.totalGpus;
  const kids = accounts.children ?? [];
  const total = kids.reduce((a, k) => a + k.shares, 0);
  return new Map(kids.map((k) => [k.id, (k.shares / total) * capacity]));
}

/**
 * Running jobs placed first-fit on random pools; their GPUs are taken from the nodes' freeGpus. Their
 * institutions are drawn by share and borrowed is what the core would have decided when each started, so
 * the scenario is a fair steady state, not a grid in the middle of a mass reclaim.
 */
function placeRunning(rng: Prng, pools: PoolState[], users: User[], count: number, nominal: Map<string, number>): RunningJob[] {
  const running: RunningJob[] = [];
  const guaranteed = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const gpus = rng.weighted<number>([[1, 60], [2, 25], [4, 15]]);
    const pool = rng.pick(pools);
    const node = pool.nodes.find((n) => n.healthy && n.freeGpus >= gpus);
    if (!node || !pool.clusterAvailable) continue;
    node.freeGpus -= gpus;
    const u = pickByShare(rng, users, nominal);
    const qos: Qos = rng.chance(0.1) ? 'preemptible' : 'normal';
    const held = guaranteed.get(u.institutionId) ?? 0;
    const borrowed = qos === 'preemptible' || held + gpus > (nominal.get(u.institutionId) ?? 0);
    if (!borrowed) guaranteed.set(u.institutionId, held + gpus);
    const walltimeSeconds = rng.int(1, 48) * HOUR;
    const startedAt = NOW - rng.int(0, walltimeSeconds - 60) * 1000;
    running.push({
      id: `run-${i}`, ...u, qos, nodes: 1, gpusPerNode: gpus, walltimeSeconds,
      submittedAt: startedAt - rng.int(0, 6 * HOUR) * 1000, clusterId: pool.clusterId, poolId: pool.poolId, gpuType: pool.gpuType,
      nodeNames: [node.name], startedAt, borrowed,
    });
  }
  return running;
}

/** A user of an institution drawn in proportion to institutions' shares (what a fair grid converges to). */
function pickByShare(rng: Prng, users: User[], nominal: Map<string, number>): User {
  const weights = [...nominal].map(([inst, n]) => [inst, n] as const);
  const inst = rng.weighted(weights);
  const mine = users.filter((u) => u.institutionId === inst);
  return mine.length > 0 ? rng.pick(mine) : rng.pick(users);
}

function pendingJob(rng: Prng, users: User[], i: number): PendingJob {
  const u = rng.pick(users);
  const [nodes, gpusPerNode] = rng.weighted<[number, number]>([
    [[1, 1], 40], [[1, 2], 15], [[1, 4], 15], [[1, 8], 15], [[2, 8], 8], [[4, 8], 5], [[8, 8], 2],
  ]);
  const gpuTypes = rng.weighted<string[]>([[[rng.pick(GPU_TYPES)], 70], [[rng.pick(GPU_TYPES), rng.pick(GPU_TYPES)], 10], [['any'], 20]]);
  const qos = rng.weighted<Qos>([['normal', 80], ['high', 10], ['preemptible', 10]]);
  return {
    id: `job-${String(i).padStart(6, '0')}`, ...u, qos, nodes, gpusPerNode, gpuTypes,
    walltimeSeconds: rng.int(1, 96) * 30 * 60, submittedAt: NOW - rng.int(0, 7 * 24 * HOUR) * 1000,
    ...(rng.chance(0.3) ? { preferredSiteId: `site-${rng.int(0, 6)}` } : {}),
  };
}

function buildBudgets(rng: Prng, count: number): BudgetState[] {
  const budgets: BudgetState[] = [];
  for (let i = 0; i < count; i++) {
    const limit = rng.int(1_000, 200_000) * HOUR;
    budgets.push({
      institutionId: `inst-${i}`, limitGpuSeconds: limit, spentGpuSeconds: Math.floor(limit * rng.next() * 0.9),
      kind: rng.chance(0.7) ? 'hard' : 'soft', gracePct: 10, mayBorrow: !rng.chance(0.1),
      ...(rng.chance(0.2) ? { maxConcurrentGpus: rng.int(16, 256) } : {}),
    });
  }
  return budgets;
}
