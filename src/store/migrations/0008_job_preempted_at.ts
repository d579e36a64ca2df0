/**
 * 0008: when a job was last preempted (stopped to give GPUs back). The scheduler keeps a just-preempted job
 * off lent GPUs for a cooldown (SchedulerPolicy.reclaimCooldownSeconds), so the time must outlive the
 * requeue, which clears the run's own times, and the verdicts, which rewrite `reason` every cycle.
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-statements.js';

const statements = [`alter table jobs add column preempted_at timestamptz`];

/** jobs.preempted_at. */
export const migration0008JobPreemptedAt: Migration = {
  up: (db: Kysely<unknown>) => runStatements(db, statements),
};
