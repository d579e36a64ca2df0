/**
 * The controller: runs control cycles while this process holds the leader lease — triggered by events
 * (submit, cancel, adapter watch callbacks, cluster changes) and at least every `intervalMs` — and never
 * two at once. Triggers that arrive during a cycle coalesce into one follow-up cycle.
 *
 * A controller whose fault point fired is dead (like a killed process): it runs nothing more; a test starts
 * a new one on the same database and clusters. Any other cycle error is logged and the loop carries on.
 */
import type { ClusterAdapter } from '../adapters/port.js';
import type { SchedulerPolicy } from '../scheduler/types.js';
import type { Db } from '../store/rows.js';
import { withTimeout } from './bounded.js';
import { ClusterHealthBook, type BackoffOptions } from './cluster-health.js';
import { runControlCycle, type CycleMemory, type CycleReport } from './control-cycle.js';
import { LeadershipLostError, resolveTuning, silentLogger, type ControlContext, type ControlLogger, type ControlTuning } from './context.js';
import { ControllerCrashedError, CrashSwitch, type FaultPoints } from './fault-points.js';
import type { LeaderLease } from './lease.js';
import type { ControlMetrics } from './metrics.js';

/** How to build a controller. */
export interface ControllerOptions {
  db: Db;
  adapters: ReadonlyMap<string, ClusterAdapter>;
  lease: LeaderLease;
  policy: SchedulerPolicy;
  /** The grid's clock; default wall time. */
  now?: () => number;
  /** Maximum real time between cycles (config `scheduler.intervalSeconds` × 1000). */
  intervalMs: number;
  /** Real time to wait after a trigger before the cycle runs, so bursts coalesce; default 20 ms. */
  debounceMs?: number;
  log?: ControlLogger;
  faults?: FaultPoints;
  tuning?: Partial<ControlTuning>;
  backoff?: BackoffOptions;
  metrics?: ControlMetrics;
  /** Told about every finished cycle (tests, diagnostics). */
  onCycle?: (report: CycleReport) => void;
}

/** A job the job service wants stopped on its cluster. */
export interface ClusterJobRef {
  id: string;
  clusterId?: string;
  dispatchKey?: string;
}

/** The control loop of one process. */
export class Controller {
  private readonly ctx: ControlContext;
  private readonly memory: CycleMemory = { cycle: 0, settledCancels: new Set() };
  private inflight: Promise<CycleReport> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** performance.now() at which the armed timer fires. */
  private timerDue = 0;
  /** Real duration of the last cycle (ms): a triggered cycle waits at least this long after the previous one. */
  private lastCycleMs = 0;
  private wanted = false;
  private started = false;
  private leaseStarted = false;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly options: ControllerOptions) {
    this.ctx = {
      db: options.db,
      adapters: options.adapters,
      now: options.now ?? Date.now,
      policy: options.policy,
      log: options.log ?? silentLogger,
      health: new ClusterHealthBook(options.backoff),
      crash: new CrashSwitch(options.faults),
      tuning: resolveTuning(options.tuning),
      isLeader: () => options.lease.isLeader(),
    };
  }

  /** Has a fault point killed this controller? */
  get dead(): boolean {
    return this.ctx.crash.dead;
  }

  /** Start: subscribe to leadership and adapter events, start the lease, and cycle while leader. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.unsubscribe.push(this.options.lease.onChange((leader) => {
      this.ctx.log.info({ leader }, leader ? 'became the control-loop leader' : 'no longer the control-loop leader');
      if (leader) this.trigger('leadership');
      else this.clearTimer();
    }));
    for (const adapter of this.options.adapters.values()) {
      if (adapter.watch) this.unsubscribe.push(adapter.watch(() => this.trigger('cluster-event')));
    }
    await this.ensureLease();
    if (this.options.lease.isLeader()) this.trigger('start');
  }

  /** Stop cycling, wait for the cycle in flight, and release the lease (a standby takes over at once). */
  async stop(): Promise<void> {
    this.started = false;
    this.clearTimer();
    for (const u of this.unsubscribe.splice(0)) u();
    await this.inflight?.catch(() => undefined);
    const wasLeader = this.options.lease.isLeader();
    await this.options.lease.release();
    this.leaseStarted = false;
    // Logged once the lock is gone (a standby may be leading already): operators see when the handover began.
    if (wasLeader) this.ctx.log.info({}, 'released the control-loop lease');
  }

  /** Ask for a cycle soon (coalesced; a no-op unless started and leader). */
  trigger(reason: string): void {
    if (!this.started || this.dead || !this.options.lease.isLeader()) return;
    this.wanted = true;
    if (this.inflight) return; // the cycle in flight schedules the follow-up
    this.schedule(this.triggerDelay());
    this.ctx.log.debug({ reason }, 'cycle triggered');
  }

  /** Run one cycle now (after the one in flight, if any). For tests and admin tools. */
  async runOnce(): Promise<CycleReport> {
    while (this.inflight) await this.inflight.catch(() => undefined);
    this.ctx.crash.assertAlive();
    await this.ensureLease();
    if (!this.options.lease.isLeader()) throw new LeadershipLostError();
    return this.execute();
  }

  /**
   * Stop a job on its cluster (the job service calls this after recording the cancel). Best effort: a
   * failure is logged and the cancelled-job recheck of later cycles tries again.
   */
  async cancelOnCluster(job: ClusterJobRef): Promise<void> {
    const adapter = job.clusterId !== undefined ? this.options.adapters.get(job.clusterId) : undefined;
    if (adapter && job.dispatchKey !== undefined) {
      try {
        await withTimeout(adapter.cancel(job.dispatchKey), this.ctx.tuning.adapterTimeoutMs, `cancel on ${job.clusterId} timed out`);
      } catch (err) {
        this.ctx.log.warn({ jobId: job.id, clusterId: job.clusterId, err: (err as Error).message }, 'cancel on cluster failed; the loop will retry');
      }
    }
    this.trigger('cancel');
  }

  private async ensureLease(): Promise<void> {
    if (this.leaseStarted) return;
    this.leaseStarted = true;
    await this.options.lease.start();
  }

  private execute(): Promise<CycleReport> {
    const startedAt = performance.now();
    const run = runControlCycle(this.ctx, this.memory).then(
      (report) => {
        this.lastCycleMs = performance.now() - startedAt;
        this.options.metrics?.observe(report, this.lastCycleMs / 1000);
        this.options.onCycle?.(report);
        return report;
      },
      (err: unknown) => {
        this.options.metrics?.failed();
        throw err;
      },
    );
    this.inflight = run;
    void run.finally(() => {
      if (this.inflight === run) this.inflight = undefined;
      // Triggers that arrived during a cycle started by runOnce() still get their follow-up.
      if (this.wanted && this.started && !this.dead && this.options.lease.isLeader()) this.schedule(this.triggerDelay());
    }).catch(() => undefined);
    return run;
  }

  private async loop(): Promise<void> {
    this.timer = undefined;
    if (!this.started || this.dead || !this.options.lease.isLeader() || this.inflight) return;
    this.wanted = false;
    try {
      const report = await this.execute();
      if (report.again) this.wanted = true;
    } catch (err) {
      if (err instanceof ControllerCrashedError) {
        this.ctx.log.error({ err: err.message }, 'controller killed by a fault point');
        return;
      }
      if (!(err instanceof LeadershipLostError)) this.ctx.log.error({ err: (err as Error).message, stack: (err as Error).stack }, 'control cycle failed');
    }
    if (!this.started || this.dead) return;
    this.schedule(this.wanted ? this.triggerDelay() : this.options.intervalMs);
  }

  /**
   * How long a triggered cycle waits: the debounce, but at least as long as the last cycle took, so a
   * stream of events (a burst of submits, every job end) never keeps the loop busy more than half the
   * time — on the embedded database the API shares one connection and one thread with the loop.
   */
  private triggerDelay(): number {
    return Math.min(this.options.intervalMs, Math.max(this.options.debounceMs ?? 20, this.lastCycleMs));
  }

  private schedule(delayMs: number): void {
    const due = performance.now() + delayMs;
    if (this.timer) {
      // A sooner run replaces a later one; a later one (or a stream of triggers) never delays a sooner one.
      if (due >= this.timerDue) return;
      clearTimeout(this.timer);
    }
    this.timerDue = due;
    this.timer = setTimeout(() => void this.loop(), delayMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
