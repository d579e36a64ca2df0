/**
 * The jobs of a simulation as the core sees them — the pending queue and the running set — and the state
 * changes that move a job between them, each keeping pools, usage, budgets and the recorder in step.
 */
import type { DispatchDecision, PendingJob, RunningJob } from '../scheduler/types.js';
import type { BudgetLedger } from './budget-ledger.js';
import type { Recorder } from './recorder.js';
import type { SimPools } from './sim-pools.js';
import type { UsageTracker } from './usage-tracker.js';
import type { SimJob } from './workload-mapping.js';

/** Pending and running jobs, indexed for O(1) moves. */
export class JobTable {
  /** Pending jobs in queue order (the core sorts them itself). */
  pending: PendingJob[] = [];
  /** Running jobs; removal swaps with the last element. */
  readonly running: RunningJob[] = [];
  /** Jobs finished so far. */
  done = 0;
  private readonly indexById = new Map<string, number>();
  private readonly runningPos = new Map<string, number>();
  /** Run counter per job: a finish event of an earlier (preempted) run is stale. */
  private readonly runOf: Int32Array;
  private readonly pendingOf: (PendingJob | undefined)[];
  private started = false;
  private borrowed = 0;
  /** GPUs of running, not borrowed jobs per institution: what counts against nominal share. */
  private readonly guaranteed = new Map<string, number>();

  constructor(
    private readonly jobs: readonly SimJob[],
    private readonly pools: SimPools,
    private readonly usage: UsageTracker,
    private readonly ledger: BudgetLedger,
    private readonly rec: Recorder,
  ) {
    jobs.forEach((j, i) => this.indexById.set(j.id, i));
    this.runOf = new Int32Array(jobs.length);
    this.pendingOf = new Array<PendingJob | undefined>(jobs.length);
  }

  /** The job with this core id. */
  jobOf(id: string): SimJob {
    const i = this.indexById.get(id);
    if (i === undefined) throw new Error(`simulator: the core named unknown job ${id}`);
    return this.jobs[i]!;
  }

  /** Queue a newly submitted job. */
  submit(j: SimJob, t: number): void {
    const p: PendingJob = {
      id: j.id, institutionId: j.institutionId, projectId: j.projectId, userId: j.userId, qos: 'normal',
      nodes: j.nodes, gpusPerNode: j.gpusPerNode, walltimeSeconds: j.walltimeSeconds, submittedAt: j.submitAt, gpuTypes: j.gpuTypes,
    };
    this.pendingOf[j.index] = p;
    this.pending.push(p);
    this.rec.submit(j, t);
  }

  /** Start a job as the core decided; `schedule` queues its finish. */
  start(d: DispatchDecision, t: number, schedule: (jobIndex: number, at: number, run: number) => void): void {
    const j = this.jobOf(d.jobId);
    const p = this.pendingOf[j.index];
    if (!p) throw new Error(`simulator: the core dispatched ${d.jobId}, which is not pending`);
    this.pendingOf[j.index] = undefined;
    this.started = true;
    this.pools.take(d.clusterId, d.poolId, d.nodeNames, j.gpusPerNode);
    const r: RunningJob = { ...p, clusterId: d.clusterId, poolId: d.poolId, gpuType: d.gpuType, nodeNames: d.nodeNames, startedAt: t, borrowed: d.borrowed };
    this.runningPos.set(j.id, this.running.length);
    this.running.push(r);
    if (r.borrowed) this.borrowed++;
    else this.guaranteed.set(j.institutionId, (this.guaranteed.get(j.institutionId) ?? 0) + j.gpus);
    this.usage.change(j.leafId, t, j.gpus);
    this.ledger.start(j.institutionId, j.gpus, t);
    this.rec.start(j, t, `${d.clusterId}/${d.poolId}`);
    schedule(j.index, t + j.runSeconds * 1000, ++this.runOf[j.index]!);
  }

  /** Drop dispatched jobs from the pending list (once per cycle, O(pending)). */
  compactPending(): void {
    if (!this.started) return;
    this.started = false;
    this.pending = this.pending.filter((p) => this.pendingOf[this.indexById.get(p.id)!] === p);
  }

  /** A run ends; false when the finish belongs to a preempted run and changes nothing. */
  finish(jobIndex: number, run: number, t: number): boolean {
    if (this.runOf[jobIndex] !== run) return false;
    const j = this.jobs[jobIndex]!;
    this.stop(j, t);
    this.rec.finish(j, t);
    this.done++;
    return true;
  }

  /** Stop a running job and requeue it with its original submit time (its age is kept). */
  preempt(jobId: string, t: number): void {
    const j = this.jobOf(jobId);
    const r = this.stop(j, t);
    this.runOf[j.index]!++;
    this.rec.preempt(j, t, r.startedAt);
    const p: PendingJob = {
      id: r.id, institutionId: r.institutionId, projectId: r.projectId, userId: r.userId, qos: r.qos,
      nodes: r.nodes, gpusPerNode: r.gpusPerNode, walltimeSeconds: r.walltimeSeconds, submittedAt: r.submittedAt, gpuTypes: j.gpuTypes,
      preemptedAt: t,
    };
    this.pendingOf[j.index] = p;
    this.pending.push(p);
  }

  /**
   * Could a cycle change anything now? Only if a pending job might fit on free GPUs (some node has as many
   * free as the smallest per-node request), or — with reclaim and borrowed jobs running — a pending job's
   * institution is within its nominal share (guaranteed GPUs + the job's ≤ share × capacity), the only case
   * in which the core preempts. `nominal` is null when nominal shares are per GPU type: then any borrowed
   * job counts as reclaimable (conservative: an extra cycle is harmless, a skipped one would not be).
   */
  canChange(reclaim: boolean, nominal: ((institutionId: string) => number) | null): boolean {
    if (this.pending.length === 0) return false;
    if (this.pools.freeGpus > 0) {
      let smallest = Infinity;
      for (const p of this.pending) if (p.gpusPerNode < smallest) smallest = p.gpusPerNode;
      if (this.pools.maxFreeOnANode() >= smallest) return true;
    }
    if (!reclaim || this.borrowed === 0) return false;
    if (nominal === null) return true;
    for (const p of this.pending) {
      if (p.qos === 'preemptible') continue;
      // A tolerance of one GPU keeps rounding in the core's share arithmetic from ever making us skip.
      if ((this.guaranteed.get(p.institutionId) ?? 0) + p.nodes * p.gpusPerNode <= nominal(p.institutionId) + 1) return true;
    }
    return false;
  }

  private stop(j: SimJob, t: number): RunningJob {
    const pos = this.runningPos.get(j.id);
    if (pos === undefined) throw new Error(`simulator: ${j.id} is not running`);
    const r = this.running[pos]!;
    const last = this.running.pop()!;
    if (last !== r) {
      this.running[pos] = last;
      this.runningPos.set(last.id, pos);
    }
    this.runningPos.delete(j.id);
    if (r.borrowed) this.borrowed--;
    else this.guaranteed.set(j.institutionId, this.guaranteed.get(j.institutionId)! - j.gpus);
    this.pools.release(r.clusterId, r.poolId, r.nodeNames, j.gpusPerNode);
    this.usage.change(j.leafId, t, -j.gpus);
    this.ledger.stop(j.institutionId, j.gpus, r.startedAt, t);
    return r;
  }
}
