/**
 * GPU-seconds charged against each institution's budget in the current period, kept in O(1) per change:
 * finished work is summed, running work is `gpus × now − Σ gpus × start` (start clipped to the period
 * start), so the spent amount at any instant needs no walk over running jobs. Budgets never decay; they
 * reset to zero at each period boundary (DESIGN §5.3).
 */
import type { BudgetState } from '../scheduler/types.js';
import type { SimBudget } from './accounts.js';

interface Account {
  budget: SimBudget;
  /** GPU-ms of finished (or preempted) work this period. */
  doneGpuMs: number;
  runningGpus: number;
  /** Σ gpus × max(start, period start) over running jobs, GPU·ms-epoch. */
  startWeighted: number;
}

/** Budget accounting for the institutions that have a budget. */
export class BudgetLedger {
  private readonly accounts = new Map<string, Account>();
  private readonly states: BudgetState[];
  /** Instants are kept relative to the simulation start so gpus × time stays an exact integer. */
  private readonly origin: number;
  private periodStart = 0;

  constructor(budgets: readonly SimBudget[], start: number) {
    this.origin = start;
    for (const b of budgets) this.accounts.set(b.institutionId, { budget: b, doneGpuMs: 0, runningGpus: 0, startWeighted: 0 });
    // One BudgetState object per institution, refreshed in place each cycle (cheaper than rebuilding).
    this.states = budgets.map((b) => ({
      institutionId: b.institutionId,
      limitGpuSeconds: b.limitGpuSeconds,
      spentGpuSeconds: 0,
      kind: b.kind,
      gracePct: b.gracePct,
      maxConcurrentGpus: b.maxConcurrentGpus,
      mayBorrow: b.mayBorrow,
    }));
  }

  /** True when any institution has a budget. */
  get active(): boolean {
    return this.states.length > 0;
  }

  /** A job of `institutionId` starts holding `gpus` at `now`. */
  start(institutionId: string, gpus: number, at: number): void {
    const a = this.accounts.get(institutionId);
    if (!a) return;
    const now = at - this.origin;
    a.runningGpus += gpus;
    a.startWeighted += gpus * Math.max(now, this.periodStart);
  }

  /** A job that started at `startedAt` stops holding `gpus` at `now`: its period part is charged. */
  stop(institutionId: string, gpus: number, startedAt: number, at: number): void {
    const a = this.accounts.get(institutionId);
    if (!a) return;
    const now = at - this.origin;
    const from = Math.max(startedAt - this.origin, this.periodStart);
    a.runningGpus -= gpus;
    a.startWeighted -= gpus * from;
    a.doneGpuMs += gpus * (now - from);
  }

  /** A new period begins at `now`: spending restarts from zero, running jobs are charged from here on. */
  newPeriod(at: number): void {
    const now = at - this.origin;
    this.periodStart = now;
    for (const a of this.accounts.values()) {
      a.doneGpuMs = 0;
      a.startWeighted = a.runningGpus * now;
    }
  }

  /** The budgets as the snapshot wants them at `now`. */
  snapshot(at: number): BudgetState[] {
    const now = at - this.origin;
    for (const s of this.states) {
      const a = this.accounts.get(s.institutionId)!;
      s.spentGpuSeconds = (a.doneGpuMs + a.runningGpus * now - a.startWeighted) / 1000;
    }
    return this.states;
  }
}
