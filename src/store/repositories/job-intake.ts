/**
 * The submission write path in one round trip: the job row and its first event are inserted by one
 * statement (a data-modifying CTE), which PostgreSQL runs atomically — no BEGIN/COMMIT and no second
 * statement, so a submission costs one network round trip and one commit.
 *
 * The idempotency key is honoured by `on conflict (user_id, client_key) do nothing`: a retry inserts
 * nothing (and so no event) and gets `undefined`, and the caller reads the job the first attempt made.
 * Two concurrent attempts with one key serialise on the unique index; exactly one inserts.
 */
import { sql } from 'kysely';
import { withDbErrors } from '../db-errors.js';
import { date, json, type Db } from '../rows.js';
import { jobFromRow, type JobRecord, type NewJob } from './jobs.js';

/** Insert a queued job and its `submitted` event; undefined when the user already used `clientKey`. */
export async function submitJob(db: Db, job: NewJob): Promise<JobRecord | undefined> {
  const row = await withDbErrors(() =>
    db
      .with('j', (qb) =>
        qb
          .insertInto('jobs')
          .values({
            id: job.id,
            institution_id: job.institutionId,
            project_id: job.spec.projectId,
            user_id: job.userId,
            spec: json(job.spec),
            gpu_types: job.spec.gpuTypes,
            nodes: job.spec.nodes,
            gpus_per_node: job.spec.gpusPerNode,
            walltime_seconds: job.spec.walltimeSeconds,
            qos: job.spec.qos,
            state: 'queued',
            submitted_at: date(job.submittedAt),
            client_key: job.clientKey ?? null,
          })
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
              .select([
                'j.id',
                sql<null>`null`.as('from_state'),
                sql<string>`'queued'`.as('to_state'),
                'j.submitted_at',
                sql<string>`'submitted'`.as('reason'),
                sql<string>`'{}'::jsonb`.as('data'),
              ]),
          ),
      )
      .selectFrom('j')
      .selectAll()
      .executeTakeFirst(),
  );
  return row ? jobFromRow(row) : undefined;
}
