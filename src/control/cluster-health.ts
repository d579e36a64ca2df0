/**
 * Which clusters the loop should leave alone for a while. A cluster that could not be reached, or that
 * refused a job, is backed off exponentially (base doubling per consecutive failure, capped) so a broken or
 * refusing cluster does not turn every cycle into the same failed dispatch. Only an accepted submit clears
 * the record: a refusing cluster still answers inventory calls, and clearing on those would reset the
 * doubling every time.
 * While backed off its pools are offered to the scheduler as unavailable (reason `ClusterUnavailable`).
 */

/** Backoff settings, in the loop's clock (ms). */
export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
}

interface Entry {
  failures: number;
  until: number;
  lastError: string;
}

/** Per-cluster failure memory of one controller. */
export class ClusterHealthBook {
  private readonly entries = new Map<string, Entry>();
  private readonly baseMs: number;
  private readonly maxMs: number;

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 10_000;
    this.maxMs = options.maxMs ?? 600_000;
  }

  /** True while the cluster's backoff has not run out at `now`. */
  isBackedOff(clusterId: string, now: number): boolean {
    const e = this.entries.get(clusterId);
    return e !== undefined && now < e.until;
  }

  /** Why a cluster is backed off (for reasons and logs). */
  lastError(clusterId: string): string | undefined {
    return this.entries.get(clusterId)?.lastError;
  }

  /** Record a failure at `now`; returns the instant the backoff ends. */
  failure(clusterId: string, now: number, message: string): number {
    const e = this.entries.get(clusterId) ?? { failures: 0, until: now, lastError: message };
    e.failures++;
    e.lastError = message;
    e.until = now + Math.min(this.maxMs, this.baseMs * 2 ** Math.min(30, e.failures - 1));
    this.entries.set(clusterId, e);
    return e.until;
  }

  /** The cluster accepted a job: forget its failures. */
  success(clusterId: string): void {
    this.entries.delete(clusterId);
  }
}
