/**
 * The pending queue as users see it (ncg's `squeue`/`sprio`): jobs waiting in `queued` or `preempted`,
 * in the priority order of the last scheduling cycle — the control loop writes each pending job's
 * 1-based `position` into `reason_data` — and jobs no cycle has seen yet at the end, oldest first.
 * One query returns the page and the total (a window count), so a big queue costs one round trip.
 */
import { sql } from 'kysely';
import type { JobState } from '../../domain/types.js';
import type { Db } from '../rows.js';
import { jobFromRow, type JobFilter, type JobRecord } from './jobs.js';

/** States that wait in the queue. */
const WAITING: JobState[] = ['queued', 'preempted'];

/** A slice of the queue and how many jobs match in all. */
export interface QueueSlice {
  items: JobRecord[];
  total: number;
}

/** Pending jobs matching `filter`, in queue order, at most `limit` of them. */
export async function pendingQueue(db: Db, filter: Omit<JobFilter, 'states' | 'clusterId'>, limit: number): Promise<QueueSlice> {
  // Only a JSON number counts as a position: a malformed value sorts last instead of failing the cast.
  const position = sql<number | null>`case when jsonb_typeof(reason_data -> 'position') = 'number' then (reason_data ->> 'position')::double precision end`;
  let q = db
    .selectFrom('jobs')
    .selectAll()
    .select(sql<number>`count(*) over ()`.as('total'))
    .where('state', 'in', WAITING)
    .orderBy(position, (ob) => ob.asc().nullsLast())
    .orderBy('submitted_at')
    .orderBy('id')
    .limit(limit);
  if (filter.institutionId) q = q.where('institution_id', '=', filter.institutionId);
  if (filter.projectId) q = q.where('project_id', '=', filter.projectId);
  if (filter.userId) q = q.where('user_id', '=', filter.userId);
  const rows = await q.execute();
  return { items: rows.map(jobFromRow), total: rows[0] ? Number(rows[0].total) : 0 };
}
