/**
 * A tiny discrete-event loop over the pure core, standing in for the control loop: it keeps decayed usage
 * with the core's accumulator, builds a snapshot, runs a cycle, applies the decisions (start, preempt and
 * requeue), and advances simulated time to the next event — a job end, an arrival, or the next tick.
 * Jobs run for their `durationSeconds` (≤ walltime), so walltimes stay honest upper bounds.
 */
import { runCycle } from '../../src/scheduler/cycle.js';
import { addUsage, decayTo, type DecayedValue } from '../../src/scheduler/decay.js';
import type { AccountNode, BudgetState, CycleDecisions, PendingJob, PoolState, RunningJob, SchedulerPolicy } from '../../src/scheduler/types.js';
import { userAccountId } from '../../src/scheduler/types.js';

/** A job of the simulation: a pending job and how long it really runs. */
export interface SimJob extends PendingJob {
  durationSeconds: number;
}

/** What to simulate. */
export interface HarnessConfig {
  policy: SchedulerPolicy;
  accounts: AccountNode;
  pools: PoolState[];
  budgets?: BudgetState[];
  start: number;
  /** Jobs submitted at their `submittedAt` (any order). */
  arrivals?: SimJob[];
  /** Called at every step; jobs it returns are submitted now (for saturating demand). */
  refill?: (h: SchedulerHarness) => SimJob[];
  /** Run a cycle at least this often (ms); otherwise only at job ends and arrivals. */
  tickMs?: number;
}

interface Active {
  job: RunningJob;
  spec: SimJob;
  endAt: number;
  accruedTo: number;
}

/** The simulated grid and what happened in it. */
export class SchedulerHarness {
  now: number;
  readonly pending = new Map<string, SimJob>();
  readonly running = new Map<string, Active>();
  readonly usage = new Map<string, DecayedValue>();
  /** First start time per job. */
  readonly starts = new Map<string, number>();
  /** The first reservation each job was given, and every backfilled start. */
  readonly firstReservation = new Map<string, number>();
  readonly backfilled = new Set<string>();
  /** GPU-seconds delivered per institution since `measureFrom`. */
  readonly delivered = new Map<string, number>();
  measureFrom = 0;
  preemptions = 0;
  cycles = 0;
  lastDecisions: CycleDecisions | undefined;
  private readonly free = new Map<string, number>();
  private readonly arrivals: SimJob[];

  constructor(private readonly cfg: HarnessConfig) {
    this.now = cfg.start;
    for (const p of cfg.pools) for (const n of p.nodes) this.free.set(`${p.poolId}/${n.name}`, n.freeGpus);
    this.arrivals = [...(cfg.arrivals ?? [])].sort((a, b) => b.submittedAt - a.submittedAt);
  }

  /** Step until simulated time reaches `until` (ms). */
  runUntil(until: number): void {
    while (this.now < until) {
      this.step();
      const next = this.nextEvent();
      if (next === Number.POSITIVE_INFINITY) break;
      this.now = Math.min(Math.max(next, this.now + 1), until);
    }
  }

  /** GPU-hours delivered per institution since `measureFrom`, including running jobs up to now. */
  gpuHours(): Record<string, number> {
    const total = new Map(this.delivered);
    for (const a of this.running.values()) {
      const from = Math.max(a.job.startedAt, this.measureFrom);
      const inst = a.job.institutionId;
      if (this.now > from) total.set(inst, (total.get(inst) ?? 0) + (a.job.nodes * a.job.gpusPerNode * (this.now - from)) / 1000);
    }
    return Object.fromEntries([...total].map(([k, v]) => [k, v / 3600]));
  }

  private step(): void {
    for (const [id, a] of this.running) if (a.endAt <= this.now) this.finish(id, a, a.endAt);
    while (this.arrivals.length > 0 && this.arrivals[this.arrivals.length - 1]!.submittedAt <= this.now) {
      const j = this.arrivals.pop()!;
      this.pending.set(j.id, j);
    }
    for (const j of this.cfg.refill?.(this) ?? []) this.pending.set(j.id, j);
    for (const a of this.running.values()) this.accrue(a, this.now);
    const d = runCycle(this.snapshot());
    this.cycles++;
    this.lastDecisions = d;
    for (const p of d.preempt) {
      const a = this.running.get(p.jobId)!;
      this.finish(p.jobId, a, this.now);
      this.pending.set(p.jobId, a.spec);
      this.preemptions++;
    }
    for (const x of d.dispatch) this.start(x.jobId, x.clusterId, x.poolId, x.gpuType, x.nodeNames, x.borrowed, x.backfilled);
    for (const r of d.reservations) if (!this.firstReservation.has(r.jobId)) this.firstReservation.set(r.jobId, r.startAt);
  }

  private snapshot() {
    const pools = this.cfg.pools.map((p) => ({ ...p, nodes: p.nodes.map((n) => ({ ...n, freeGpus: this.free.get(`${p.poolId}/${n.name}`)! })) }));
    const usage: Record<string, number> = {};
    for (const [k, v] of this.usage) usage[k] = decayTo(v, this.now, this.cfg.policy.halfLifeSeconds).value;
    return {
      now: this.now, policy: this.cfg.policy, accounts: this.cfg.accounts, usage, budgets: this.cfg.budgets ?? [], pools,
      running: [...this.running.values()].map((a) => a.job), pending: [...this.pending.values()].map(({ durationSeconds: _d, ...j }) => j),
    };
  }

  private start(id: string, clusterId: string, poolId: string, gpuType: string, nodeNames: string[], borrowed: boolean, backfilled: boolean): void {
    const spec = this.pending.get(id)!;
    this.pending.delete(id);
    for (const n of nodeNames) this.free.set(`${poolId}/${n}`, this.free.get(`${poolId}/${n}`)! - spec.gpusPerNode);
    const job: RunningJob = { ...spec, clusterId, poolId, gpuType, nodeNames, startedAt: this.now, borrowed };
    this.running.set(id, { job, spec, endAt: this.now + spec.durationSeconds * 1000, accruedTo: this.now });
    if (!this.starts.has(id)) this.starts.set(id, this.now);
    if (backfilled) this.backfilled.add(id);
  }

  private finish(id: string, a: Active, at: number): void {
    this.accrue(a, at);
    for (const n of a.job.nodeNames) this.free.set(`${a.job.poolId}/${n}`, this.free.get(`${a.job.poolId}/${n}`)! + a.job.gpusPerNode);
    const from = Math.max(a.job.startedAt, this.measureFrom);
    if (at > from) {
      const inst = a.job.institutionId;
      this.delivered.set(inst, (this.delivered.get(inst) ?? 0) + (a.job.nodes * a.job.gpusPerNode * (at - from)) / 1000);
    }
    this.running.delete(id);
  }

  /** Charge usage up to `to` (added at the end of each interval — the accumulator's documented choice). */
  private accrue(a: Active, to: number): void {
    if (to <= a.accruedTo) return;
    const leaf = userAccountId(a.job.projectId, a.job.userId);
    const gpuSeconds = (a.job.nodes * a.job.gpusPerNode * (to - a.accruedTo)) / 1000;
    this.usage.set(leaf, addUsage(this.usage.get(leaf) ?? { value: 0, asOf: to }, to, gpuSeconds, this.cfg.policy.halfLifeSeconds));
    a.accruedTo = to;
  }

  private nextEvent(): number {
    let next = this.cfg.tickMs ? this.now + this.cfg.tickMs : Number.POSITIVE_INFINITY;
    for (const a of this.running.values()) next = Math.min(next, a.endAt);
    if (this.arrivals.length > 0) next = Math.min(next, this.arrivals[this.arrivals.length - 1]!.submittedAt);
    return next;
  }
}
