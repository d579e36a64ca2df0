/**
 * What every step of a control cycle shares: the store, the adapters, the clock, the policy, the cluster
 * backoff book, the crash switch and the tuning knobs. Built once per controller; steps are plain functions
 * of it, so each can be tested alone.
 */
import type { ClusterAdapter } from '../adapters/port.js';
import type { SchedulerPolicy } from '../scheduler/types.js';
import type { Db } from '../store/rows.js';
import type { ClusterHealthBook } from './cluster-health.js';
import { ControllerCrashedError, type CrashSwitch } from './fault-points.js';

/** The logging the loop does (a pino logger fits). */
export interface ControlLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A logger that drops everything (tests, and callers that pass none). */
export const silentLogger: ControlLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Tuning of the loop; every field has a default (see `resolveTuning`). */
export interface ControlTuning {
  /** Adapter submits / cancels in flight at once. Default 8. */
  dispatchConcurrency: number;
  /** Running jobs get a ledger row once their open window is this long (s). Default 60 (the metering step). */
  usageWindowSeconds: number;
  /** Jobs cancelled in the store this recently are checked for still running on their cluster (s). Default 1 day. */
  cancelLookbackSeconds: number;
  /** Every this many cycles, verdicts are rewritten on any change (position, priority); else only on big ones. Default 10. */
  verdictRefreshCycles: number;
  /** Inventory, status and find calls that take longer fail the cluster for this cycle (ms). Default 10 s. */
  adapterTimeoutMs: number;
}

/** Defaults for every knob not given. */
export function resolveTuning(t: Partial<ControlTuning> = {}): ControlTuning {
  return {
    dispatchConcurrency: t.dispatchConcurrency ?? 8,
    usageWindowSeconds: t.usageWindowSeconds ?? 60,
    cancelLookbackSeconds: t.cancelLookbackSeconds ?? 86_400,
    verdictRefreshCycles: t.verdictRefreshCycles ?? 10,
    adapterTimeoutMs: t.adapterTimeoutMs ?? 10_000,
  };
}

/** Everything a cycle's steps use. */
export interface ControlContext {
  db: Db;
  adapters: ReadonlyMap<string, ClusterAdapter>;
  /** The grid's clock (epoch ms): the sim clock on sim grids, wall time otherwise. */
  now: () => number;
  policy: SchedulerPolicy;
  log: ControlLogger;
  health: ClusterHealthBook;
  crash: CrashSwitch;
  tuning: ControlTuning;
  /** False once this process lost the lease: no further writes or dispatches from an in-flight cycle. */
  isLeader: () => boolean;
}

/** Throw unless this controller is alive and still the leader (before every write or adapter call). */
export function assertActive(ctx: ControlContext): void {
  ctx.crash.assertAlive();
  if (!ctx.isLeader()) throw new LeadershipLostError();
}

/** A cycle stopped because this process is no longer the leader. */
export class LeadershipLostError extends Error {
  override readonly name = 'LeadershipLostError';

  constructor() {
    super('leadership lost: the cycle stops before its next write');
  }
}

/** Errors that must end the cycle at once rather than be handled as a cluster's failure. */
export function isFatal(err: unknown): boolean {
  return err instanceof ControllerCrashedError || err instanceof LeadershipLostError;
}
