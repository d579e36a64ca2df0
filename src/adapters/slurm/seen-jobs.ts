/**
 * What this adapter has seen of each key. Slurm forgets finished jobs after MinJobAge and loses jobs in
 * rare failures; this memory tells a job that vanished while unfinished (`lost`) from one that finished
 * (its last, final status) and from a key never submitted here (nothing).
 */
import type { ExternalJobStatus } from '../port.js';
import { isFinalExternalState, lostStatus } from './job-status.js';

/** A day: by then the control loop has long recorded a final state. */
const rememberFinalMs = 86_400_000;

/** Last status per key, bounded by forgetting final ones a day after they were first seen. */
export class SeenJobs {
  private readonly last = new Map<string, ExternalJobStatus>();
  private readonly finalSince = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** Record a status observed now. */
  remember(status: ExternalJobStatus): void {
    this.last.set(status.idempotencyKey, status);
    if (isFinalExternalState(status.state) && !this.finalSince.has(status.idempotencyKey)) this.finalSince.set(status.idempotencyKey, this.now());
  }

  /** The last status seen for a key, if any. */
  get(key: string): ExternalJobStatus | undefined {
    return this.last.get(key);
  }

  /** The status of a key Slurm did not list: its final status, `lost`, or undefined if never seen. */
  missing(key: string): ExternalJobStatus | undefined {
    const previous = this.last.get(key);
    if (!previous) return undefined;
    return isFinalExternalState(previous.state) ? previous : lostStatus(key, previous.externalId);
  }

  /** Forget final states first seen more than a day ago. */
  prune(): void {
    const horizon = this.now() - rememberFinalMs;
    for (const [key, since] of this.finalSince) {
      if (since >= horizon) continue;
      this.finalSince.delete(key);
      this.last.delete(key);
    }
  }

  /** Forget everything. */
  clear(): void {
    this.last.clear();
    this.finalSince.clear();
  }
}
