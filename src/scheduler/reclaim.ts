/**
 * Reclaim (DESIGN §5.7). When a job whose institution is within its nominal share is blocked, borrowed jobs
 * of other institutions are preempted to make room — lowest priority first, then youngest — and only as
 * many as the job needs. A borrowed job is a victim only if its institution uses at least its GPUs more
 * than its nominal share (counting this cycle's admissions and earlier victims), so no preemption pushes an
 * institution below what it is owed and no GPU inside a nominal share is taken; `preemptible` jobs are
 * always victims.
 *
 * Hand-off: preempted GPUs are freed by the control loop after this cycle, so the beneficiary stays pending
 * this cycle (reason `Resources`, "GPUs are being reclaimed") and starts in the next one. To keep the room
 * for it, the cycle holds the free GPUs of the chosen nodes as if it had started, and treats the victims'
 * GPUs on those nodes as busy until the beneficiary's walltime ends. Nodes that carry a reservation are used
 * only if the beneficiary would end before it, so reclaim never delays a reservation.
 */
import type { Party } from './parties.js';
import type { PoolRt } from './pool-index.js';
import type { ShareBook } from './shares.js';
import type { RunningJob } from './types.js';

/** A running job that reclaim may preempt. */
export interface Victim {
  job: RunningJob;
  inst: Party;
  proj: Party;
  /** Node indices of the job in its pool. */
  nodes: number[];
  priority: number;
  taken: boolean;
}

/** The blocked job a reclaim is for. */
export interface Beneficiary {
  nodes: number;
  gpusPerNode: number;
}

/** What one reclaim would do. */
export interface ReclaimPlan {
  pool: PoolRt;
  nodes: number[];
  victims: Victim[];
}

/** The victims of one pool, and per node the GPUs they hold (an upper bound of what reclaim can free). */
interface PoolVictims {
  list: Victim[];
  victimGpus: Int32Array;
  scratch: Int32Array;
}

/** Victims per pool, ordered lowest priority first, then youngest, then id. */
export class ReclaimBook {
  private readonly byPool = new Map<PoolRt, PoolVictims>();
  /** Tags each pool search, so parties' `reclaimFreed` scratch needs no clearing. */
  private stamp = 0;

  /** Register a running job (only borrowed or preemptible ones can ever be victims). */
  add(job: RunningJob, inst: Party, proj: Party, pool: PoolRt, priority: number): void {
    if (!job.borrowed && job.qos !== 'preemptible') return;
    let pv = this.byPool.get(pool);
    if (!pv) {
      pv = { list: [], victimGpus: new Int32Array(pool.free.length), scratch: new Int32Array(pool.free.length) };
      this.byPool.set(pool, pv);
    }
    const nodes = job.nodeNames.map((n) => pool.nodeAt(n)).filter((i) => i >= 0);
    for (const i of nodes) pv.victimGpus[i]! += job.gpusPerNode;
    pv.list.push({ job, inst, proj, nodes, priority, taken: false });
  }

  /** Sort every pool's victims once all are added. */
  seal(): void {
    for (const pv of this.byPool.values()) {
      pv.list.sort((a, b) => a.priority - b.priority || b.job.startedAt - a.job.startedAt || (a.job.id < b.job.id ? -1 : 1));
    }
  }

  /** Any victims at all? (Cheap pre-check.) */
  get empty(): boolean {
    return this.byPool.size === 0;
  }

  /**
   * The cheapest plan (fewest GPUs preempted, then fewest jobs, then pool order) for `job` ending at `endAt`
   * in `pools`. `exclude` is the institution whose jobs may not be victims (the beneficiary's; null for none).
   */
  plan(job: Beneficiary, exclude: Party | null, pools: readonly PoolRt[], endAt: number, shares: ShareBook): ReclaimPlan | null {
    let best: ReclaimPlan | null = null;
    let bestCost = 0;
    for (const p of pools) {
      const pv = this.byPool.get(p);
      if (!pv || !p.open || !mayFit(p, pv, job.nodes, job.gpusPerNode)) continue;
      const plan = planInPool(p, pv, job, exclude, endAt, shares, ++this.stamp);
      if (!plan) continue;
      let cost = plan.victims.length;
      for (const v of plan.victims) cost += v.job.nodes * v.job.gpusPerNode * 1e4;
      if (!best || cost < bestCost) {
        best = plan;
        bestCost = cost;
      }
    }
    return best;
  }

  /** Take the plan: victims are marked, free GPUs of the chosen nodes are held, victims' GPUs stay busy. */
  commit(plan: ReclaimPlan, job: Beneficiary & { id: string }, endAt: number, shares: ShareBook): void {
    const pv = this.byPool.get(plan.pool)!;
    for (const v of plan.victims) {
      v.taken = true;
      shares.release(v.inst, v.proj, v.job.nodes * v.job.gpusPerNode, v.job.gpuType, v.job.borrowed || v.job.qos === 'preemptible');
      for (const i of v.nodes) {
        pv.victimGpus[i]! -= v.job.gpusPerNode;
        if (plan.nodes.includes(i)) plan.pool.timeline.extendRelease(i, v.job.id, endAt);
      }
    }
    for (const i of plan.nodes) {
      const use = Math.min(job.gpusPerNode, plan.pool.free[i]!);
      if (use > 0) plan.pool.take(i, use, endAt, job.id);
    }
  }
}

/** Upper bound: even preempting every victim, are there N healthy nodes with G GPUs? */
function mayFit(p: PoolRt, pv: PoolVictims, n: number, g: number): boolean {
  let count = 0;
  for (let i = 0; i < pv.victimGpus.length; i++) {
    if (p.healthy[i] && p.free[i]! + pv.victimGpus[i]! >= g && ++count >= n) return true;
  }
  return false;
}

function usable(p: PoolRt, i: number, g: number, endAt: number): boolean {
  return p.healthy[i] === 1 && p.total[i]! >= g && endAt <= p.timeline.resStart[i]!;
}

function planInPool(p: PoolRt, pv: PoolVictims, job: Beneficiary, exclude: Party | null, endAt: number, shares: ShareBook, stamp: number): ReclaimPlan | null {
  const G = job.gpusPerNode;
  const f = pv.scratch;
  f.set(p.free);
  let count = 0;
  for (let i = 0; i < f.length; i++) if (f[i]! >= G && usable(p, i, G, endAt)) count++;
  let chosen: Victim[] | undefined; // allocated only once a victim helps: most searches fail early
  for (let k = 0; k < pv.list.length && count < job.nodes; k++) {
    const v = pv.list[k]!;
    if (v.taken || v.inst === exclude) continue;
    const gpus = v.job.nodes * v.job.gpusPerNode;
    if (v.job.qos !== 'preemptible') {
      // Only GPUs strictly above the victim institution's nominal share may be taken: preempting this job
      // must leave it at or above nominal (this cycle's admissions count in its use).
      const already = v.inst.reclaimStamp === stamp ? v.inst.reclaimFreed : 0;
      if (shares.excess(v.inst, p.gpuType) - already < gpus) continue;
    }
    let helps = false;
    for (let n = 0; n < v.nodes.length; n++) {
      const i = v.nodes[n]!;
      if (!usable(p, i, G, endAt)) continue;
      helps = true;
      const before = f[i]!;
      f[i] = before + v.job.gpusPerNode;
      if (before < G && f[i]! >= G) count++;
    }
    if (!helps) continue;
    (chosen ??= []).push(v);
    if (v.inst.reclaimStamp !== stamp) {
      v.inst.reclaimStamp = stamp;
      v.inst.reclaimFreed = 0;
    }
    v.inst.reclaimFreed += gpus;
  }
  if (count < job.nodes || !chosen) return null;
  const nodes = selectNodes(p, f, G, job.nodes, endAt);
  return { pool: p, nodes, victims: prune(chosen, nodes, f, G) };
}

/** Prefer nodes that need no victim, then the tightest. */
function selectNodes(p: PoolRt, f: Int32Array, G: number, n: number, endAt: number): number[] {
  const ok: number[] = [];
  for (let i = 0; i < f.length; i++) if (f[i]! >= G && usable(p, i, G, endAt)) ok.push(i);
  const needs = (i: number): number => (p.free[i]! >= G ? 0 : 1);
  ok.sort((a, b) => needs(a) - needs(b) || f[a]! - f[b]! || a - b);
  return ok.slice(0, n);
}

/** Drop victims (highest priority first) whose GPUs the selected nodes do not need. */
function prune(chosen: Victim[], nodes: number[], f: Int32Array, G: number): Victim[] {
  const keep: Victim[] = [];
  for (let k = chosen.length - 1; k >= 0; k--) {
    const v = chosen[k]!;
    let needed = false;
    for (const i of v.nodes) if (nodes.includes(i) && f[i]! - v.job.gpusPerNode < G) needed = true;
    if (needed) {
      keep.push(v);
      continue;
    }
    for (const i of v.nodes) if (nodes.includes(i)) f[i] = f[i]! - v.job.gpusPerNode;
  }
  return keep.reverse();
}
