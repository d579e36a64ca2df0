/**
 * `transitionJobs` (jobs.ts) for hundreds of jobs at once: the same semantics — each transition applies
 * only if its job is in one of its `from` states, row locked, with an event row recording the real `from` —
 * in one statement per round instead of three per job, so a cycle that dispatches or finishes 500 jobs
 * costs a few round trips, not 1,500. Transitions of the same job (a chain such as dispatching → running →
 * succeeded) go in successive rounds, in the order given, inside one transaction.
 */
import { sql } from 'kysely';
import { chunks, date, type Db } from '../rows.js';
import type { JobPatch, Transition } from './jobs.js';

/** One transition as a JSON record for `jsonb_to_recordset`: a `set_*` flag per patch column. */
function record(t: Transition): Record<string, unknown> {
  const p: JobPatch = t.patch ?? {};
  const when = (v: number | null | undefined) => (v === null || v === undefined ? null : date(v).toISOString());
  return {
    id: t.jobId, from_states: t.from, to_state: t.to, at: date(t.at).toISOString(), event_reason: t.reason ?? null, event_data: t.data ?? {},
    set_started: p.startedAt !== undefined, started_at: when(p.startedAt),
    set_ended: p.endedAt !== undefined, ended_at: when(p.endedAt),
    set_cluster: p.clusterId !== undefined, cluster_id: p.clusterId ?? null,
    set_pool: p.poolId !== undefined, pool_id: p.poolId ?? null,
    set_nodes: p.nodeNames !== undefined, node_names: p.nodeNames ?? null,
    set_borrowed: p.borrowed !== undefined, borrowed: p.borrowed ?? false,
    set_exit: p.exitCode !== undefined, exit_code: p.exitCode ?? null,
    set_reason: p.reason !== undefined, reason: p.reason ?? null,
    set_reason_data: p.reasonData !== undefined, reason_data: p.reasonData ?? null,
    set_dispatch: p.dispatchKey !== undefined, dispatch_key: p.dispatchKey ?? null,
    set_external: p.externalId !== undefined, external_id: p.externalId ?? null,
    set_preempted: p.preemptedAt !== undefined, preempted_at: when(p.preemptedAt),
  };
}

/** Apply one round (at most one transition per job); returns the ids that moved. */
async function applyRound(db: Db, round: readonly Transition[]): Promise<string[]> {
  const payload = JSON.stringify(round.map(record));
  const result = await sql<{ job_id: string }>`
    with v as (
      select * from jsonb_to_recordset(${payload}::jsonb) as v(
        id text, from_states text[], to_state text, at timestamptz, event_reason text, event_data jsonb,
        set_started boolean, started_at timestamptz, set_ended boolean, ended_at timestamptz,
        set_cluster boolean, cluster_id text, set_pool boolean, pool_id text, set_nodes boolean, node_names text[],
        set_borrowed boolean, borrowed boolean, set_exit boolean, exit_code integer, set_reason boolean, reason text,
        set_reason_data boolean, reason_data jsonb, set_dispatch boolean, dispatch_key text, set_external boolean, external_id text,
        set_preempted boolean, preempted_at timestamptz)
    ),
    old as (
      select j.id, j.state from jobs j where j.id in (select id from v) for update
    ),
    moved as (
      update jobs j set
        state = v.to_state,
        started_at = case when v.set_started then v.started_at else j.started_at end,
        ended_at = case when v.set_ended then v.ended_at else j.ended_at end,
        cluster_id = case when v.set_cluster then v.cluster_id else j.cluster_id end,
        pool_id = case when v.set_pool then v.pool_id else j.pool_id end,
        node_names = case when v.set_nodes then v.node_names else j.node_names end,
        borrowed = case when v.set_borrowed then v.borrowed else j.borrowed end,
        exit_code = case when v.set_exit then v.exit_code else j.exit_code end,
        reason = case when v.set_reason then v.reason else j.reason end,
        reason_data = case when v.set_reason_data then v.reason_data else j.reason_data end,
        dispatch_key = case when v.set_dispatch then v.dispatch_key else j.dispatch_key end,
        external_id = case when v.set_external then v.external_id else j.external_id end,
        preempted_at = case when v.set_preempted then v.preempted_at else j.preempted_at end,
        updated_at = now()
      from v join old on old.id = v.id
      where j.id = v.id and old.state = any(v.from_states)
      returning j.id, old.state as from_state, v.to_state, v.at, v.event_reason, v.event_data
    )
    insert into job_events (job_id, from_state, to_state, at, reason, data)
    select id, from_state, to_state, at, event_reason, coalesce(event_data, '{}'::jsonb) from moved
    returning job_id`.execute(db);
  return result.rows.map((r) => r.job_id);
}

/**
 * Apply transitions in one transaction; each applies only if its job is in an allowed `from` state when
 * its round runs. Returns the ids of jobs that moved at least once.
 */
export async function transitionJobsBulk(db: Db, transitions: readonly Transition[]): Promise<Set<string>> {
  const moved = new Set<string>();
  if (transitions.length === 0) return moved;
  const rounds: Transition[][] = [];
  const seen = new Map<string, number>();
  for (const t of transitions) {
    const k = seen.get(t.jobId) ?? 0;
    seen.set(t.jobId, k + 1);
    (rounds[k] ??= []).push(t);
  }
  await db.transaction().execute(async (tx) => {
    for (const round of rounds) {
      for (const part of chunks(round, 2_000)) for (const id of await applyRound(tx, part)) moved.add(id);
    }
  });
  return moved;
}
