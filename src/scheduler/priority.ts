/**
 * Multifactor priority (DESIGN §5.2): a weighted sum of fair share, age, QoS and size, with a total,
 * deterministic order — priority descending, then submit time, then id. The `fifo` ordering ignores
 * priority and orders by submit time, then id.
 *
 * Factors are in [0, 1]: fair share from Fair Tree; age = waited / maxAge, capped at 1 (a job submitted
 * "in the future" by clock skew counts 0); QoS from the policy table; size = the job's GPUs over the GPUs
 * of the largest pool (capped at 1), so the biggest gang the grid can hold gets the full size weight.
 * The breakdown reports each factor already multiplied by its weight and rounded to an integer, and the
 * priority is their sum — integers, as Slurm's priorities and `sprio` are: the display is exactly what
 * the queue is ordered by, and integers cost no boxed numbers in the 100,000 breakdowns a cycle returns.
 * So weights must be large for resolution (the defaults: one age point per ~10 minutes waited, fair-share
 * ranks 10,000 / users apart); priorities closer than that tie and fall to submit time, then id.
 */
import type { FairTree } from './fairshare.js';
import { jobFairShare } from './fairshare.js';
import type { JobTable } from './job-table.js';
import { scratchF64, Slot } from './scratch.js';
import { orderByKey } from './sort-order.js';
import type { JobBase, PriorityBreakdown, SchedulerPolicy } from './types.js';

/** What priority needs besides the job: the policy, the instant, Fair Tree and the size normaliser. */
export interface PriorityContext {
  now: number;
  policy: SchedulerPolicy;
  tree: FairTree;
  /** GPUs that earn the full size factor (the largest pool's GPUs). */
  sizeNormGpus: number;
}

/** Weighted factors of one job; `priority` is their sum. */
export interface WeightedFactors {
  priority: number;
  fairshare: number;
  age: number;
  qos: number;
  size: number;
}

/** Memoises fair-share lookups per (project, user) so no id string is built per job. */
export class FairShareLookup {
  private readonly byProject = new Map<string, Map<string, number>>();
  constructor(private readonly tree: FairTree) {}

  /** The job's fair-share factor (see `jobFairShare`). */
  of(job: Pick<JobBase, 'institutionId' | 'projectId' | 'userId'>): number {
    let users = this.byProject.get(job.projectId);
    if (!users) {
      users = new Map();
      this.byProject.set(job.projectId, users);
    }
    let f = users.get(job.userId);
    if (f === undefined) {
      f = jobFairShare(this.tree, job.institutionId, job.projectId, job.userId);
      users.set(job.userId, f);
    }
    return f;
  }
}

/** The weighted factors of `job` under `ctx`. */
export function weighFactors(job: JobBase, ctx: PriorityContext, fairshare: number): WeightedFactors {
  const w = ctx.policy.weights;
  const f = {
    priority: 0,
    fairshare: Math.round(w.fairshare * fairshare),
    age: Math.round(w.age * ageFactor(job, ctx)),
    qos: Math.round(w.qos * (ctx.policy.qosFactor[job.qos] ?? 0)),
    size: Math.round(w.size * sizeFactor(job, ctx)),
  };
  f.priority = f.fairshare + f.age + f.qos + f.size;
  return f;
}

/** `weighFactors` written into job `i` of `table`, without allocating. */
export function weighInto(table: JobTable, i: number, job: JobBase, ctx: PriorityContext, fairshare: number): void {
  const w = ctx.policy.weights;
  table.setWeights(
    i,
    Math.round(w.fairshare * fairshare),
    Math.round(w.age * ageFactor(job, ctx)),
    Math.round(w.qos * (ctx.policy.qosFactor[job.qos] ?? 0)),
    Math.round(w.size * sizeFactor(job, ctx)),
  );
}

/** waited / maxAge in [0, 1] (a job from the future, by clock skew, counts 0). */
function ageFactor(job: JobBase, ctx: PriorityContext): number {
  const maxAge = ctx.policy.maxAgeSeconds;
  return maxAge > 0 ? Math.min(1, Math.max(0, (ctx.now - job.submittedAt) / 1000 / maxAge)) : 1;
}

/** GPUs over the largest pool's GPUs, in [0, 1]. */
function sizeFactor(job: JobBase, ctx: PriorityContext): number {
  return Math.min(1, Math.max(0, (job.nodes * job.gpusPerNode) / Math.max(1, ctx.sizeNormGpus)));
}

/** A breakdown record for the decisions (built once per pending job, at the end of the cycle). */
export function toBreakdown(jobId: string, f: WeightedFactors): PriorityBreakdown {
  return { jobId, priority: f.priority, factors: { fairshare: f.fairshare, age: f.age, qos: f.qos, size: f.size } };
}

/**
 * Indices of `jobs` in scheduling order: priority descending, then submit time, then id (`fifo`: submit
 * time, then id). `priority` and `submitted` are per job (`priority` ignored for `fifo`). See
 * sort-order.ts for how this beats a comparator sort while keeping exactly this order.
 *
 * Priorities are integers, so many jobs share one; packing the submit time (quantised) under the priority
 * in the same key lets the native sort break those ties too, leaving the comparator only jobs submitted
 * within one quantum of each other at equal priority.
 */
export function scheduleOrder(jobs: readonly JobBase[], priority: Float64Array, ordering: SchedulerPolicy['ordering'], submitted: Float64Array): Int32Array {
  const cmp = compareJobs(jobs, priority, ordering);
  if (ordering === 'fifo') return orderByKey(submitted, cmp);
  return orderByKey(priorityThenSubmit(priority, submitted), cmp);
}

/** −priority, with the submit time quantised into the room the key has left when priorities are integers. */
function priorityThenSubmit(priority: Float64Array, submitted: Float64Array): Float64Array {
  const n = priority.length;
  const key = scratchF64(Slot.OrderKey, n);
  let pHi = Number.NEGATIVE_INFINITY;
  let pLo = Number.POSITIVE_INFINITY;
  let sHi = Number.NEGATIVE_INFINITY;
  let sLo = Number.POSITIVE_INFINITY;
  let integers = true;
  for (let i = 0; i < n; i++) {
    const p = priority[i]!;
    const s = submitted[i]!;
    if (p > pHi) pHi = p;
    if (p < pLo) pLo = p;
    if (s > sHi) sHi = s;
    if (s < sLo) sLo = s;
    if (integers && !Number.isInteger(p)) integers = false;
  }
  const room = 2 ** (51 - Math.max(1, Math.ceil(Math.log2(Math.max(2, n)))));
  const span = pHi - pLo + 1;
  if (!integers || !Number.isFinite(sHi - sLo) || span * 2 > room) {
    for (let i = 0; i < n; i++) key[i] = -priority[i]!;
    return key;
  }
  const slots = Math.floor(room / span);
  const sScale = sHi > sLo ? (slots - 1) / (sHi - sLo) : 0;
  for (let i = 0; i < n; i++) key[i] = (pHi - priority[i]!) * slots + Math.floor((submitted[i]! - sLo) * sScale);
  return key;
}

/** The scheduling order as a comparator over job indices (a total order: ids are unique). */
export function compareJobs(jobs: readonly JobBase[], priority: Float64Array, ordering: SchedulerPolicy['ordering']): (a: number, b: number) => number {
  return (a, b) => {
    if (ordering === 'priority') {
      const d = priority[b]! - priority[a]!;
      if (d !== 0) return d;
    }
    const s = jobs[a]!.submittedAt - jobs[b]!.submittedAt;
    if (s !== 0) return s;
    const ia = jobs[a]!.id;
    const ib = jobs[b]!.id;
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  };
}
