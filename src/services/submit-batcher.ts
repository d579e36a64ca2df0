/**
 * Group commit for submissions. A submission's cost is dominated by its database round trip and commit
 * (a WAL flush: ~4 ms on this machine's disk), not by its own work. So submissions that arrive while
 * earlier ones are being written wait (briefly) and go together in one multi-row statement: one round
 * trip, one commit, for a whole batch. Idle, a lone submission is written at once (a batch of one);
 * under load, batches grow by themselves to what arrived during the previous write.
 *
 * If a batch statement fails (a row the database refuses), its jobs are written one by one, so only the
 * bad one fails and the others are unaffected.
 */
import { submitJob, submitJobs } from '../store/repositories/job-intake.js';
import type { JobRecord, NewJob } from '../store/repositories/jobs.js';
import type { Db } from '../store/rows.js';

interface Waiting {
  job: NewJob;
  resolve: (stored: JobRecord | undefined) => void;
  reject: (err: unknown) => void;
}

/** Tuning of the batcher. */
export interface BatcherOptions {
  /** Most jobs in one statement (13 parameters each; PostgreSQL allows 65,535 parameters). */
  maxBatch?: number;
  /** Batches written at once (each holds one pooled connection). */
  maxInFlight?: number;
}

/** Collects concurrent submissions into multi-row inserts. */
export class SubmitBatcher {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly db: Db,
    opts: BatcherOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 256;
    this.maxInFlight = opts.maxInFlight ?? 2;
  }

  /** Insert the job (with its first event); undefined when its user already used its client key. */
  submit(job: NewJob): Promise<JobRecord | undefined> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ job, resolve, reject });
      this.schedule();
    });
  }

  /** Flush after the current turn of the event loop, so submissions arriving together share a batch. */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.waiting.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        if (this.waiting.length > 0) this.schedule();
      });
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    try {
      const stored = await submitJobs(this.db, batch.map((w) => w.job));
      batch.forEach((w, i) => w.resolve(stored[i]));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      // One bad row fails the whole statement: retry each alone so the error lands on the right request.
      await Promise.all(batch.map((w) => submitJob(this.db, w.job).then(w.resolve, w.reject)));
    }
  }
}
