/**
 * Reclaim (DESIGN §5.7). When a job whose institution is within its nominal share is blocked, borrowed jobs
 * of other institutions are preempted to make room — lowest priority first, then youngest — and only as
 * many as the job needs. A borrowed job is a victim only while its institution is above its nominal share
 * (so no preemption pushes anyone below what they are owed, and a job inside its nominal share is never
 * touched); `preemptible` jobs are always victims.
 *
 * Hand-off: preempted GPUs are freed by the control loop after this cycle, so the beneficiary stays pending
 * this cycle (reason `Resources`, "GPUs are being reclaimed") and starts in the next one. To keep the room
 * for it, the cycle holds the free GPUs of the chosen nodes as if it had started, and treats the victims'
 * GPUs on those nodes as busy until the beneficiary's walltime ends. Nodes that carry a reservation are used
 * only if the beneficiary would end before it, so reclaim never delays a reservation.
 */
import type { PoolRt } from './pool-index.js';
import type { ShareBook } from './shares.js';
import type { JobBase, RunningJob } from './types.js';

/** A running job that reclaim may preempt. */
export interface Victim {
  job: RunningJob;
  /** Node indices of the job in its pool. */
  nodes: number[];
  priority: number;
  taken: boolean;
}

/** What one reclaim would do. */
export interface ReclaimPlan {
  pool: PoolRt;
  nodes: number[];
  victims: Victim[];
}

/** Victims per pool, ordered lowest priority first, then youngest, then id. */
export class ReclaimBook {
  private readonly byPool = new Map<PoolRt, Victim[]>();

  /** Register a running job (only borrowed or preemptible ones can ever be victims). */
  add(job: RunningJob, pool: PoolRt, priority: number): void {
    if (!job.borrowed && job.qos !== 'preemptible') return;
    const nodes = job.nodeNames.map((n) => pool.nodeAt(n)).filter((i) => i >= 0);
    const list = this.byPool.get(pool) ?? [];
    list.push({ job, nodes, priority, taken: false });
    this.byPool.set(pool, list);
  }

  /** Sort every pool's victims once all are added. */
  seal(): void {
    for (const list of this.byPool.values()) {
      list.sort((a, b) => a.priority - b.priority || b.job.startedAt - a.job.startedAt || (a.job.id < b.job.id ? -1 : 1));
    }
  }

  /** Any victims at all? (Cheap pre-check.) */
  get empty(): boolean {
    return this.byPool.size === 0;
  }

  /** The cheapest plan (fewest GPUs preempted, then fewest jobs, then pool order) for `job` in `pools`. */
  plan(job: JobBase, pools: readonly PoolRt[], endAt: number, shares: ShareBook): ReclaimPlan | null {
    let best: ReclaimPlan | null = null;
    let bestCost = 0;
    for (const p of pools) {
      if (!p.open) continue;
      const victims = this.byPool.get(p);
      if (!victims) continue;
      const plan = planInPool(p, victims, job, endAt, shares);
      if (!plan) continue;
      const cost = plan.victims.reduce((s, v) => s + v.job.nodes * v.job.gpusPerNode, 0) * 1e4 + plan.victims.length;
      if (!best || cost < bestCost) {
        best = plan;
        bestCost = cost;
      }
    }
    return best;
  }
}

function planInPool(p: PoolRt, victims: Victim[], job: JobBase, endAt: number, shares: ShareBook): ReclaimPlan | null {
  const G = job.gpusPerNode;
  const usable = (i: number): boolean => p.healthy[i] === 1 && p.total[i]! >= G && endAt <= p.timeline.resStart[i]!;
  const f = Int32Array.from(p.free);
  let count = 0;
  for (let i = 0; i < f.length; i++) if (usable(i) && f[i]! >= G) count++;
  const chosen: Victim[] = [];
  const freed = new Map<string, number>();
  for (const v of victims) {
    if (count >= job.nodes) break;
    if (v.taken || v.job.institutionId === job.institutionId) continue;
    const gpus = v.job.nodes * v.job.gpusPerNode;
    if (v.job.qos !== 'preemptible') {
      const already = freed.get(v.job.institutionId) ?? 0;
      if (shares.excess(v.job.institutionId, p.gpuType) - already <= 0) continue;
    }
    if (!v.nodes.some(usable)) continue;
    for (const i of v.nodes) {
      if (!usable(i)) continue;
      const before = f[i]!;
      f[i] = before + v.job.gpusPerNode;
      if (before < G && f[i]! >= G) count++;
    }
    chosen.push(v);
    freed.set(v.job.institutionId, (freed.get(v.job.institutionId) ?? 0) + gpus);
  }
  if (count < job.nodes) return null;
  const nodes = selectNodes(p, f, G, job.nodes, usable);
  return { pool: p, nodes, victims: prune(chosen, nodes, f, G) };
}

/** Prefer nodes that need no victim, then the tightest. */
function selectNodes(p: PoolRt, f: Int32Array, G: number, n: number, usable: (i: number) => boolean): number[] {
  const ok: number[] = [];
  for (let i = 0; i < f.length; i++) if (usable(i) && f[i]! >= G) ok.push(i);
  const needs = (i: number): number => (p.free[i]! >= G ? 0 : 1);
  ok.sort((a, b) => needs(a) - needs(b) || f[a]! - f[b]! || a - b);
  return ok.slice(0, n);
}

/** Drop victims (highest priority first) whose GPUs the selected nodes do not need. */
function prune(chosen: Victim[], nodes: number[], f: Int32Array, G: number): Victim[] {
  const selected = new Set(nodes);
  const keep: Victim[] = [];
  for (let k = chosen.length - 1; k >= 0; k--) {
    const v = chosen[k]!;
    const mine = v.nodes.filter((i) => selected.has(i));
    if (mine.every((i) => f[i]! - v.job.gpusPerNode >= G)) {
      for (const i of mine) f[i] = f[i]! - v.job.gpusPerNode;
    } else {
      keep.push(v);
    }
  }
  return keep.reverse();
}

/** Take the plan: victims are marked, free GPUs on the chosen nodes are held, victims' GPUs stay busy. */
export function commitReclaim(plan: ReclaimPlan, job: JobBase, endAt: number, shares: ShareBook): void {
  for (const v of plan.victims) {
    v.taken = true;
    shares.release(v.job);
    for (const i of v.nodes) if (plan.nodes.includes(i)) plan.pool.timeline.extendRelease(i, v.job.id, endAt);
  }
  for (const i of plan.nodes) {
    const use = Math.min(job.gpusPerNode, plan.pool.free[i]!);
    if (use > 0) plan.pool.take(i, use, endAt, job.id);
  }
}
