/**
 * One control cycle, in numbered steps (DESIGN §3, "persist, then act"):
 *   1. observe   — the grid (store pools + adapter inventories), read *before* job status so GPUs freed
 *                  in between look busy (conservative) rather than jobs looking gone while still placed
 *   2. reconcile — clusters' job status → store; recheck recently cancelled jobs; charge stopped runs
 *   3. charge    — ledger windows for jobs confirmed running whose open window reached the usage window
 *   4. decide    — snapshot → runCycle (pure)
 *   5. persist   — dispatches (`dispatching` + attempt key), preemption marks, changed pending verdicts
 *   6. act       — cancel victims (then requeue them), submit dispatches, record the answers
 * A fault point sits between 5 and 6 and inside 6 (fault-points.ts).
 */
import { runCycle } from '../scheduler/cycle.js';
import { writePendingVerdicts } from '../store/repositories/control-jobs.js';
import { jobsInStates, type JobRecord } from '../store/repositories/jobs.js';
import { recheckCancelled } from './cancel-recheck.js';
import { assertActive, type ControlContext } from './context.js';
import { persistDispatches } from './dispatch.js';
import { readGrid } from './grid-view.js';
import { cancelVictims, persistPreemptions } from './preempt.js';
import { reconcileJobs, usageClaim } from './reconcile.js';
import { isActive, isPending, buildSnapshot } from './snapshot.js';
import { submitDispatches, type DispatchFailure } from './submit.js';
import { recordUsage } from './usage-recorder.js';
import { changedVerdicts } from './verdicts.js';

/** Memory a controller keeps between its cycles. */
export interface CycleMemory {
  /** Cycles run by this controller (the next one is number cycle + 1). */
  cycle: number;
  /** Cancelled jobs whose clusters confirmed they stopped. */
  settledCancels: Set<string>;
}

/** What one cycle did. */
export interface CycleReport {
  cycle: number;
  /** The grid clock at the cycle's start. */
  at: number;
  pending: number;
  running: number;
  dispatched: number;
  accepted: number;
  refused: number;
  requeued: number;
  finished: number;
  preempted: number;
  verdictsWritten: number;
  usageRows: number;
  unavailableClusters: string[];
  /** Dispatches each cluster refused or left unanswered this cycle. */
  dispatchFailures: DispatchFailure[];
  /** Real milliseconds spent in each step (observe, reconcile, charge, decide, persist, act). */
  stepMs: Record<string, number>;
  /** Another cycle should follow soon (preempted GPUs are being handed to the jobs they were freed for). */
  again: boolean;
}

/** Run one cycle. Throws ControllerCrashedError / LeadershipLostError when it must stop half-way. */
export async function runControlCycle(ctx: ControlContext, memory: CycleMemory): Promise<CycleReport> {
  const cycle = ++memory.cycle;
  const now = ctx.now();
  const stepMs: Record<string, number> = {};
  let mark = performance.now();
  const lap = (step: string): void => {
    const t = performance.now();
    stepMs[step] = t - mark;
    mark = t;
  };
  // 1. observe
  const grid = await readGrid(ctx);
  lap('observe');
  // 2. reconcile
  const rec = await reconcileJobs(ctx, await jobsInStates(ctx.db, ['dispatching', 'running']), grid);
  await recheckCancelled(ctx, grid, memory.settledCancels);
  lap('reconcile');
  // 3. charge running work — only jobs their cluster just confirmed running: a job on a cluster that did
  //    not answer may have ended long ago, and its final window comes when the cluster answers again.
  const jobs = await jobsInStates(ctx.db, ['queued', 'preempted', 'dispatching', 'running']);
  const running = jobs.filter((j) => j.state === 'running' && j.startedAt !== undefined && rec.confirmedRunning.has(j.id));
  const windowMs = ctx.tuning.usageWindowSeconds * 1000;
  assertActive(ctx);
  const usage = await recordUsage(ctx.db, running.map((j) => usageClaim(j, grid, j.startedAt!, now, windowMs)), now, ctx.policy.halfLifeSeconds);
  lap('charge');
  // 4. decide
  const snapshot = await buildSnapshot(ctx, grid, jobs, now);
  const decisions = runCycle(snapshot);
  lap('decide');
  // 5. persist
  const byId = new Map<string, JobRecord>(jobs.map((j) => [j.id, j]));
  const dispatches = await persistDispatches(ctx, decisions.dispatch, byId, grid, now);
  const marked = await persistPreemptions(ctx, decisions.preempt, now);
  const verdicts = changedVerdicts(decisions, byId, cycle % Math.max(1, ctx.tuning.verdictRefreshCycles) === 1);
  assertActive(ctx);
  const verdictsWritten = await writePendingVerdicts(ctx.db, verdicts, now);
  lap('persist');
  if (dispatches.length > 0) await ctx.crash.hit('afterPersistBeforeDispatch', { cycle, jobIds: dispatches.map((d) => d.job.id) });
  // 6. act: victims first (their GPUs are what the beneficiaries wait for), then the dispatches
  const victims = new Set([...marked, ...rec.stillPreempting.map((j) => j.id)]);
  const preempt = await cancelVictims(ctx, [...victims], grid);
  const submit = await submitDispatches(ctx, dispatches, grid, cycle);
  lap('act');
  return {
    cycle,
    at: now,
    pending: jobs.filter(isPending).length,
    running: jobs.filter(isActive).length,
    dispatched: dispatches.length,
    accepted: submit.accepted,
    refused: submit.refused,
    requeued: rec.requeued + submit.requeued + preempt.requeued,
    finished: rec.finished,
    preempted: preempt.requeued,
    verdictsWritten,
    usageRows: usage.rows,
    unavailableClusters: [...grid.unavailable.keys()],
    dispatchFailures: submit.failures,
    stepMs,
    again: marked.size > 0 || preempt.requeued > 0,
  };
}
