/**
 * The submission write path: job rows and their first events are inserted by one statement (a
 * data-modifying CTE), which PostgreSQL runs atomically — no BEGIN/COMMIT, no second statement. Many jobs
 * may go in one statement (`submitJobs`), so concurrent submissions share one round trip and one commit
 * (the JobService batches them; see src/services/submit-batcher.ts).
 *
 * The idempotency key is honoured by `on conflict (user_id, client_key) do nothing`: a retry inserts
 * nothing (and so no event) and gets `undefined`, and the caller reads the job the first attempt made.
 * Concurrent attempts with one key serialise on the unique index, and a key repeated inside one statement
 * is skipped after its first row: exactly one inserts.
 */
import { sql } from 'kysely';
import { withDbErrors } from '../db-errors.js';
import type { Db } from '../rows.js';
import { jobFromRow, newJobRow, type JobRecord, type NewJob } from './jobs.js';

/**
 * Insert queued jobs and their `submitted` events in one statement. Returns, in input order, each job as
 * stored, or undefined where the user had already used that job's `clientKey`.
 */
export async function submitJobs(db: Db, jobs: readonly NewJob[]): Promise<(JobRecord | undefined)[]> {
  if (jobs.length === 0) return [];
  const rows = await withDbErrors(() =>
    db
      .with('j', (qb) =>
        qb
          .insertInto('jobs')
          .values(
            jobs.map(newJobRow),
          )
          .onConflict((oc) => oc.columns(['user_id', 'client_key']).doNothing())
          .returningAll(),
      )
      .with('e', (qb) =>
        qb
          .insertInto('job_events')
          .columns(['job_id', 'from_state', 'to_state', 'at', 'reason', 'data'])
          .expression((eb) =>
            eb
              .selectFrom('j')
              .select(['j.id', sql<null>`null`.as('from_state'), sql<string>`'queued'`.as('to_state'), 'j.submitted_at', sql<string>`'submitted'`.as('reason'), sql<string>`'{}'::jsonb`.as('data')])
              // Events get ids in submission order, like the jobs.
              .orderBy('j.id'),
          ),
      )
      .selectFrom('j')
      .selectAll()
      .execute(),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return jobs.map((job) => {
    const row = byId.get(job.id);
    return row ? jobFromRow(row) : undefined;
  });
}

/** Insert one queued job and its `submitted` event; undefined when the user already used `clientKey`. */
export async function submitJob(db: Db, job: NewJob): Promise<JobRecord | undefined> {
  const [stored] = await submitJobs(db, [job]);
  return stored;
}
