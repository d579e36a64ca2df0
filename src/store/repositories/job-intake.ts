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
 *
 * The same statement appends each new job's `job.submit` audit row (who, token, address, what).
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
  const ids = jobs.map((j) => j.id);
  const tokens = jobs.map((j) => j.audit?.tokenId ?? null);
  const addresses = jobs.map((j) => j.audit?.clientAddress ?? null);
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
      // The audit row of each inserted job (not of an idempotent retry, which inserts nothing), in the same
      // statement: auditing submissions costs no round trip. Token and address are looked up by job id in
      // two array parameters, so the statement's size does not grow with them.
      .with('a', (qb) =>
        qb
          .insertInto('audit_log')
          .columns(['actor_user_id', 'token_id', 'client_address', 'institution_id', 'action', 'target_kind', 'target_id', 'after'])
          .expression((eb) =>
            eb
              .selectFrom('j')
              .select([
                'j.user_id',
                sql<string | null>`(${tokens}::text[])[array_position(${ids}::text[], j.id::text)]`.as('token_id'),
                sql<string | null>`(${addresses}::text[])[array_position(${ids}::text[], j.id::text)]`.as('client_address'),
                'j.institution_id',
                sql<string>`'job.submit'`.as('action'),
                sql<string>`'job'`.as('target_kind'),
                'j.id',
                sql<string>`jsonb_build_object('project', j.project_id, 'qos', j.qos, 'nodes', j.nodes, 'gpusPerNode', j.gpus_per_node, 'gpuTypes', to_jsonb(j.gpu_types), 'walltimeSeconds', j.walltime_seconds)`.as('after'),
              ])
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
