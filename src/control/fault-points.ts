/**
 * Fault-injection points of the loop (issue 4, "crash safety, shown"). A test sets a hook that throws to
 * "kill" the controller exactly there; the controller then behaves like a dead process — no further writes
 * or adapter calls from that cycle — and the test starts a new controller on the same database and the
 * same clusters. In production no hook is set and every point is a no-op.
 */

/** Context handed to a fault point. */
export interface FaultContext {
  /** Cycle number of this controller instance (1-based). */
  cycle: number;
  /** The job concerned (per-job points), or every job dispatched this cycle (per-cycle points). */
  jobIds: readonly string[];
  /** The dispatch idempotency key, for per-job points. */
  dispatchKey?: string;
}

/** Hooks a test may set; each may throw (or reject) to kill the loop at that point. */
export interface FaultPoints {
  /** After the cycle's decisions are persisted (jobs `dispatching`), before any adapter is called. */
  afterPersistBeforeDispatch?(ctx: FaultContext): void | Promise<void>;
  /** After one job's submit was acknowledged by its cluster, before the answer is recorded in the store. */
  afterDispatchBeforeRecord?(ctx: FaultContext): void | Promise<void>;
}

/** Raised by a controller whose fault point fired: it is dead until replaced. */
export class ControllerCrashedError extends Error {
  override readonly name = 'ControllerCrashedError';

  constructor(readonly point: keyof FaultPoints, cause: unknown) {
    super(`controller killed at fault point ${point}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/** The crash switch of one controller: once a point fires, everything after it stops. */
export class CrashSwitch {
  private crashed: ControllerCrashedError | undefined;

  constructor(private readonly points: FaultPoints = {}) {}

  /** Has a fault point fired? */
  get dead(): boolean {
    return this.crashed !== undefined;
  }

  /** Run a fault point; a throw kills the controller and is rethrown as ControllerCrashedError. */
  async hit(point: keyof FaultPoints, ctx: FaultContext): Promise<void> {
    this.assertAlive();
    const hook = this.points[point];
    if (!hook) return;
    try {
      await hook.call(this.points, ctx);
    } catch (err) {
      this.crashed ??= new ControllerCrashedError(point, err);
      throw this.crashed;
    }
  }

  /** Throw if the controller is dead (called before every write and adapter call). */
  assertAlive(): void {
    if (this.crashed) throw this.crashed;
  }
}
