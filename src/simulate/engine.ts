/**
 * The discrete-event loop. Simulated time jumps from event to event (submits in trace order merged with a
 * heap of finishes, rate-limited cycles and budget period boundaries); every instant at which something
 * happened gets one scheduling cycle of the real core (`runCycle`), after all events of that instant are
 * applied. Preemptions stop their victims at once and the core runs again at the same instant, which is when
 * the beneficiary is dispatched. No clock, no I/O, no randomness: the same input gives the same run.
 *
 * Cycles are skipped when nothing could change: nobody pending, or no node with as many free GPUs as the
 * smallest pending per-node request and nothing borrowed to reclaim.
 */
import { runCycle } from '../scheduler/cycle.js';
import { reclaimCooldownMs } from '../scheduler/policy.js';
import type { SchedulerSnapshot } from '../scheduler/types.js';
import { buildAccountTree, buildBudgets, effectiveShares } from './accounts.js';
import { BudgetLedger } from './budget-ledger.js';
import { EventQueue } from './event-queue.js';
import type { SimPolicy } from './policy-loader.js';
import { Recorder } from './recorder.js';
import { JobTable } from './job-table.js';
import type { SimGrid } from './sim-grid.js';
import { SimPools } from './sim-pools.js';
import { UsageTracker } from './usage-tracker.js';
import type { SimJob } from './workload-mapping.js';

/** Progress of a run, for the progress bar. */
export interface SimProgress {
  now: number;
  done: number;
  total: number;
}

/** Run options. */
export interface SimOptions {
  /** Called after every ~1 % of jobs finished. */
  onProgress?: (p: SimProgress) => void;
}

/** The outcome of one run: the jobs, what was recorded, and the run's frame. */
export interface SimResult {
  jobs: readonly SimJob[];
  recorder: Recorder;
  /** First submit (epoch ms). */
  start: number;
  /** Last event processed (epoch ms). */
  end: number;
  capacityGpus: number;
  budgetPeriodSeconds: number;
  /** Jobs still pending when no event could change anything any more. */
  unfinished: number;
}

/**
 * Cycles per instant: the cycle, and one more after it preempted (its victims are stopped at once) so that
 * the beneficiary can start, as the control loop's next cycle would start it. Never more: if that second
 * cycle preempts again (its freed GPUs went to another job — the core orders the queue by priority, and a
 * requeued victim may outrank its beneficiary), the victims are stopped and the next cycle waits for the
 * next event instead of ping-ponging at one instant.
 */
const MAX_ROUNDS_PER_INSTANT = 2;

/** Simulate `jobs` (sorted by submit time) on `grid` under `policy`. */
export function simulate(jobs: readonly SimJob[], grid: SimGrid, policy: SimPolicy, options: SimOptions = {}): SimResult {
  const sched = policy.scheduler;
  const start = jobs[0]?.submitAt ?? 0;
  const pools = new SimPools(grid);
  const usage = new UsageTracker(sched.halfLifeSeconds);
  const { budgets, periodSeconds } = buildBudgets(grid, policy);
  const ledger = new BudgetLedger(budgets, start);
  const accounts = buildAccountTree(grid, policy, jobs);
  const rec = new Recorder(jobs.length);
  const table = new JobTable(jobs, pools, usage, ledger, rec);
  const queue = new EventQueue();
  const intervalMs = policy.cycleIntervalSeconds * 1000;
  const cooldownMs = reclaimCooldownMs(sched);
  const nominal = nominalShares(grid, policy, pools.capacity);
  const progressStep = Math.max(1, Math.floor(jobs.length / 100));
  let nextSubmit = 0;
  let lastCycle = -Infinity;
  let cycleQueued = false;
  let dirty = false;
  let period = 0;
  let budgetBlocked = false;
  let now = start;
  let reported = 0;
  if (ledger.active) queue.push(start + periodSeconds * 1000, { kind: 'budget-period', period: 1 });

  const cycleAt = (t: number): void => {
    for (let round = 0; round < MAX_ROUNDS_PER_INSTANT; round++) {
      if (!table.canChange(sched.reclaim, nominal)) {
        if (round === 0) rec.skippedInstants++;
        return;
      }
      if (round === 0) rec.cycleInstants++;
      const snapshot: SchedulerSnapshot = {
        now: t,
        policy: sched,
        accounts,
        usage: usage.snapshot(t),
        budgets: ledger.snapshot(t),
        pools: pools.pools,
        running: table.running,
        pending: table.pending,
      };
      const d = runCycle(snapshot);
      rec.cycles++;
      budgetBlocked = false;
      for (const v of d.pending) {
        if (v.reason !== 'BudgetExhausted') continue;
        budgetBlocked = true;
        rec.budgetHeld(table.jobOf(v.jobId), period, t);
      }
      for (const x of d.dispatch) table.start(x, t, (j, at, run) => queue.push(at, { kind: 'finish', jobIndex: j, run }));
      table.compactPending();
      if (d.preempt.length === 0) return;
      for (const p of d.preempt) table.preempt(p.jobId, t);
      // Victims may not borrow again until their cooldown ends: wake the loop then, as the server's interval would.
      if (cooldownMs > 0) queue.push(t + cooldownMs, { kind: 'cooldown' });
    }
  };

  for (;;) {
    const tq = queue.peekTime();
    const ts = nextSubmit < jobs.length ? jobs[nextSubmit]!.submitAt : undefined;
    if (tq === undefined && ts === undefined) break;
    const t = tq === undefined ? ts! : ts === undefined ? tq : Math.min(tq, ts);
    now = t;
    while (nextSubmit < jobs.length && jobs[nextSubmit]!.submitAt === t) {
      table.submit(jobs[nextSubmit++]!, t);
      dirty = true;
    }
    while (queue.peekTime() === t) {
      const e = queue.pop()!.event;
      if (e.kind === 'finish') {
        if (table.finish(e.jobIndex, e.run, t)) dirty = true;
      } else if (e.kind === 'cycle') {
        cycleQueued = false;
      } else if (e.kind === 'cooldown') {
        dirty = true;
      } else {
        period = e.period;
        ledger.newPeriod(t);
        dirty = true;
        // Keep the periods coming only while something can still happen (or budgets are what holds jobs).
        if (nextSubmit < jobs.length || table.running.length > 0 || budgetBlocked) {
          queue.push(start + (e.period + 1) * periodSeconds * 1000, { kind: 'budget-period', period: e.period + 1 });
        }
      }
    }
    if (dirty) {
      const earliest = lastCycle + intervalMs;
      if (t >= earliest) {
        const before = rec.cycles;
        cycleAt(t);
        if (rec.cycles > before) lastCycle = t;
        dirty = false;
      } else if (!cycleQueued) {
        queue.push(earliest, { kind: 'cycle' });
        cycleQueued = true;
      }
    }
    if (options.onProgress && table.done - reported >= progressStep) {
      reported = table.done;
      options.onProgress({ now: t, done: table.done, total: jobs.length });
    }
  }
  options.onProgress?.({ now, done: table.done, total: jobs.length });
  return { jobs, recorder: rec, start, end: now, capacityGpus: pools.capacity, budgetPeriodSeconds: periodSeconds, unfinished: table.pending.length };
}

/** Nominal GPUs per institution (share of all capacity), or null when shares are per GPU type. */
function nominalShares(grid: SimGrid, policy: SimPolicy, capacity: number): ((institutionId: string) => number) | null {
  if (policy.scheduler.nominalShareBy !== 'total') return null;
  const shares = effectiveShares(grid, policy);
  let total = 0;
  for (const v of shares.values()) total += v;
  return (id) => (total > 0 ? ((shares.get(id) ?? 0) / total) * capacity : 0);
}
