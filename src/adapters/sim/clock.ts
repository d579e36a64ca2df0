/**
 * Simulated time for sim clusters. The server runs on real time × `NCG_SIM_SPEED` (ScaledClock); tests run
 * on a ManualClock they advance by hand, so every job transition happens at an exact, repeatable instant.
 */

/** Opaque handle of a scheduled callback. */
export type TimerId = number;

/** Where sim clusters read the time and schedule job ends. Instants are simulated epoch milliseconds. */
export interface SimClock {
  /** Simulated now, epoch ms. */
  now(): number;
  /** Call `fn` once simulated time reaches `atMs` (as soon as possible if it already has). */
  schedule(atMs: number, fn: () => void): TimerId;
  /** Forget a scheduled callback; unknown or fired ids are ignored. */
  cancel(id: TimerId): void;
  /** Drop every pending callback (the owner is shutting down). */
  close(): void;
}

interface ManualTimer {
  id: TimerId;
  at: number;
  fn: () => void;
}

/** A clock that moves only when told to: deterministic tests of timing without sleeping. */
export class ManualClock implements SimClock {
  private current: number;
  private nextId = 1;
  private readonly timers = new Map<TimerId, ManualTimer>();

  /** Starts at `startMs` (default 2026-10-01T00:00Z, an arbitrary fixed instant). */
  constructor(startMs = Date.UTC(2026, 9, 1)) {
    this.current = startMs;
  }

  /** Simulated now. */
  now(): number {
    return this.current;
  }

  /** Register a callback at `atMs`; a time in the past fires on the next advance. */
  schedule(atMs: number, fn: () => void): TimerId {
    const id = this.nextId++;
    this.timers.set(id, { id, at: atMs, fn });
    return id;
  }

  /** Forget a callback. */
  cancel(id: TimerId): void {
    this.timers.delete(id);
  }

  /** Forget all callbacks. */
  close(): void {
    this.timers.clear();
  }

  /** Number of callbacks still waiting (lets tests check that nothing leaks). */
  pendingTimers(): number {
    return this.timers.size;
  }

  /** Move time forward by `ms`, firing due callbacks in time order (ties in scheduling order). */
  advance(ms: number): number {
    return this.advanceTo(this.current + ms);
  }

  /**
   * Move time to `targetMs`. Callbacks fire one at a time with `now()` equal to their own instant, so a
   * callback that schedules another inside the window sees it fire in the same advance.
   */
  advanceTo(targetMs: number): number {
    for (;;) {
      const due = this.earliestDue(targetMs);
      if (!due) break;
      this.timers.delete(due.id);
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.current = Math.max(this.current, targetMs);
    return this.current;
  }

  private earliestDue(limit: number): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.timers.values()) {
      if (t.at <= limit && (!best || t.at < best.at || (t.at === best.at && t.id < best.id))) best = t;
    }
    return best;
  }
}

/** Options of a ScaledClock. */
export interface ScaledClockOptions {
  /** Simulated seconds per real second (NCG_SIM_SPEED); must be > 0. */
  speed: number;
  /** Simulated time at construction; default the real time then. */
  startMs?: number;
  /** Source of real time (injectable for tests of the clock itself). */
  realNow?: () => number;
}

/** setTimeout cannot wait longer than 2^31−1 ms; longer waits are chained. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** Real time × speed, for the running server. Timers are real `setTimeout`s, unref'd so they never hold the process open. */
export class ScaledClock implements SimClock {
  readonly speed: number;
  private readonly realNow: () => number;
  private readonly realStart: number;
  private readonly simStart: number;
  private nextId = 1;
  private readonly handles = new Map<TimerId, NodeJS.Timeout>();

  /** A clock running `speed` times faster than real time. */
  constructor(options: ScaledClockOptions) {
    if (!(options.speed > 0) || !Number.isFinite(options.speed)) throw new RangeError(`sim speed must be a positive number, got ${options.speed}`);
    this.speed = options.speed;
    this.realNow = options.realNow ?? Date.now;
    this.realStart = this.realNow();
    this.simStart = options.startMs ?? this.realStart;
  }

  /** Simulated now: the start plus elapsed real time × speed. */
  now(): number {
    return this.simStart + (this.realNow() - this.realStart) * this.speed;
  }

  /** Fire `fn` when simulated time reaches `atMs`. */
  schedule(atMs: number, fn: () => void): TimerId {
    const id = this.nextId++;
    this.arm(id, atMs, fn);
    return id;
  }

  /** Forget a callback. */
  cancel(id: TimerId): void {
    const h = this.handles.get(id);
    if (h) clearTimeout(h);
    this.handles.delete(id);
  }

  /** Forget all callbacks. */
  close(): void {
    for (const h of this.handles.values()) clearTimeout(h);
    this.handles.clear();
  }

  private arm(id: TimerId, atMs: number, fn: () => void): void {
    const realDelay = Math.max(0, (atMs - this.now()) / this.speed);
    const h = setTimeout(() => {
      // Re-check on wake-up: a chained long wait, or a timer that woke a hair early, is armed again.
      if (this.now() < atMs && realDelay > 0) return this.arm(id, atMs, fn);
      this.handles.delete(id);
      fn();
    }, Math.min(Math.ceil(realDelay), MAX_TIMEOUT_MS));
    h.unref();
    this.handles.set(id, h);
  }
}
