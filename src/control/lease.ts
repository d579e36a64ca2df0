/**
 * Leadership of the control loop (DESIGN §8): many replicas may serve the API, exactly one runs the loop.
 * `LeaderLease` is what the controller needs from any lease; `LocalLease` is the trivial one for an
 * embedded (PGlite) database, where the single process is the leader. The PostgreSQL advisory-lock lease
 * is in pg-advisory-lease.ts.
 */

/** Called with the new leadership whenever it changes. */
export type LeadershipListener = (leader: boolean) => void;

/** A lease that makes at most one process the leader at a time. */
export interface LeaderLease {
  /** Start the acquire loop (a standby keeps trying); resolves once the first attempt has been made. */
  start(): Promise<void>;
  /** Does this process hold the lease now? */
  isLeader(): boolean;
  /** Subscribe to leadership changes; returns an unsubscribe function. */
  onChange(listener: LeadershipListener): () => void;
  /** Give the lease up at once (graceful shutdown) and stop trying to acquire it. */
  release(): Promise<void>;
}

/** Listener bookkeeping shared by the lease implementations. */
export class LeadershipState {
  private leader = false;
  private readonly listeners = new Set<LeadershipListener>();

  /** Current leadership. */
  get value(): boolean {
    return this.leader;
  }

  /** Set leadership; listeners hear only real changes. */
  set(leader: boolean): void {
    if (leader === this.leader) return;
    this.leader = leader;
    for (const l of [...this.listeners]) {
      try {
        l(leader);
      } catch {
        // A faulty listener must not stop the others from hearing that leadership changed.
      }
    }
  }

  /** Subscribe. */
  subscribe(listener: LeadershipListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The embedded database has one process, and it is the leader from `start()` until `release()`. */
export class LocalLease implements LeaderLease {
  private readonly state = new LeadershipState();

  /** Become leader. */
  async start(): Promise<void> {
    this.state.set(true);
  }

  /** Leader between start and release. */
  isLeader(): boolean {
    return this.state.value;
  }

  /** Subscribe to changes. */
  onChange(listener: LeadershipListener): () => void {
    return this.state.subscribe(listener);
  }

  /** Stop being leader. */
  async release(): Promise<void> {
    this.state.set(false);
  }
}
