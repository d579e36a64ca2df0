/**
 * Step 1 of a cycle: the scheduler's snapshot, built from the store and the grid view. Pending jobs are
 * `queued` and `preempted` (requeued) ones; running jobs are `running` and `dispatching` ones (a
 * dispatching job already holds its nodes — its GPUs are subtracted in the cluster's inventory once the
 * submit lands, and it must count against shares and budgets either way). Usage is each account's decayed
 * value brought forward to `now`.
 */
import type { JobRecord } from '../store/repositories/jobs.js';
import { loadAccountRows } from '../store/repositories/account-tree.js';
import { listUsageAccounts, type UsageAccount } from '../store/repositories/usage-accounts.js';
import { decayTo } from '../scheduler/decay.js';
import type { PendingJob, RunningJob, SchedulerSnapshot } from '../scheduler/types.js';
import { buildAccountTree } from './account-tree.js';
import { loadBudgets } from './budgets.js';
import type { ControlContext } from './context.js';
import type { GridView, PoolInfo } from './grid-view.js';

/** Is this job waiting in the national queue? */
export function isPending(job: JobRecord): boolean {
  return job.state === 'queued' || job.state === 'preempted';
}

/** Does this job hold (or is it being given) GPUs on a cluster? */
export function isActive(job: JobRecord): boolean {
  return job.state === 'running' || job.state === 'dispatching';
}

/** A queued job as the core sees it. */
export function toPendingJob(job: JobRecord): PendingJob {
  const p: PendingJob = {
    id: job.id, institutionId: job.institutionId, projectId: job.projectId, userId: job.userId, qos: job.spec.qos,
    nodes: job.spec.nodes, gpusPerNode: job.spec.gpusPerNode, walltimeSeconds: job.spec.walltimeSeconds,
    submittedAt: job.submittedAt, gpuTypes: job.spec.gpuTypes,
  };
  if (job.spec.preferredSiteId !== undefined) p.preferredSiteId = job.spec.preferredSiteId;
  if (job.preemptedAt !== undefined) p.preemptedAt = job.preemptedAt;
  return p;
}

/** A running or dispatching job as the core sees it; undefined if its placement is incomplete. */
export function toRunningJob(job: JobRecord, pools: ReadonlyMap<string, PoolInfo>, now: number): RunningJob | undefined {
  const pool = job.poolId !== undefined ? pools.get(job.poolId) : undefined;
  if (!pool || job.clusterId === undefined || !job.nodeNames) return undefined;
  return {
    id: job.id, institutionId: job.institutionId, projectId: job.projectId, userId: job.userId, qos: job.spec.qos,
    nodes: job.spec.nodes, gpusPerNode: job.spec.gpusPerNode, walltimeSeconds: job.spec.walltimeSeconds, submittedAt: job.submittedAt,
    clusterId: job.clusterId, poolId: pool.id, gpuType: pool.gpuType, nodeNames: job.nodeNames,
    // A dispatching job has not started: count its walltime from now, as the cluster will.
    startedAt: job.startedAt ?? now,
    borrowed: job.borrowed ?? false,
  };
}

/** Decayed usage of every account at `now`. */
export function usageAt(accounts: readonly UsageAccount[], now: number, halfLifeSeconds: number): Record<string, number> {
  const usage: Record<string, number> = {};
  for (const a of accounts) usage[a.accountId] = decayTo({ value: a.value, asOf: a.asOf }, now, halfLifeSeconds).value;
  return usage;
}

/** Build the snapshot for `now` from the jobs of the working set and the grid view. */
export async function buildSnapshot(ctx: ControlContext, grid: GridView, jobs: readonly JobRecord[], now: number): Promise<SchedulerSnapshot> {
  const [rows, accounts, budgets] = await Promise.all([loadAccountRows(ctx.db), listUsageAccounts(ctx.db), loadBudgets(ctx.db, now)]);
  const usage = usageAt(accounts, now, ctx.policy.halfLifeSeconds);
  const pending: PendingJob[] = [];
  const running: RunningJob[] = [];
  for (const job of jobs) {
    if (isPending(job)) pending.push(toPendingJob(job));
    else if (isActive(job)) {
      const r = toRunningJob(job, grid.poolsById, now);
      if (r) running.push(r);
    }
  }
  return {
    now,
    policy: ctx.policy,
    accounts: buildAccountTree(rows, jobs, Object.keys(usage)),
    usage,
    budgets,
    pools: grid.pools,
    running,
    pending,
  };
}
