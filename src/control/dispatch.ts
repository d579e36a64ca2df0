/**
 * Dispatch, in the order DESIGN §3 demands: persist, then act.
 *
 * `persistDispatches` moves each chosen job `queued → dispatching` (conditional, with an event) and gives
 * it a fresh idempotency key for this attempt, `<jobId>:<attempt>`, with the cluster, pool, nodes and
 * `borrowed` the scheduler chose. Only then does `submitDispatches` call the adapters. From that moment a
 * crash anywhere leaves a `dispatching` job with a key that reconcile resolves by asking the cluster about
 * that key: found → adopted; not found → requeued under a new key. The same key is never submitted by two
 * attempts, and a new key is minted only once the cluster has said it does not have the old one.
 */
import type { DispatchDecision } from '../scheduler/types.js';
import type { JobRecord, Transition } from '../store/repositories/jobs.js';
import { transitionJobsBulk } from '../store/repositories/job-transitions-bulk.js';
import { assertActive, type ControlContext } from './context.js';
import type { GridView, PoolInfo } from './grid-view.js';

/** A dispatch written to the store, ready to be submitted. */
export interface PersistedDispatch {
  job: JobRecord;
  decision: DispatchDecision;
  dispatchKey: string;
  pool: PoolInfo;
}

/** The key of the attempt after `previousKey` (`<jobId>:1` for the first). */
export function nextDispatchKey(jobId: string, previousKey: string | undefined): string {
  const prefix = `${jobId}:`;
  const last = previousKey?.startsWith(prefix) ? Number(previousKey.slice(prefix.length)) : 0;
  return `${prefix}${Number.isInteger(last) && last > 0 ? last + 1 : 1}`;
}

/** Persist the cycle's dispatch decisions; returns those that took (the job was still waiting). */
export async function persistDispatches(
  ctx: ControlContext,
  decisions: readonly DispatchDecision[],
  jobs: ReadonlyMap<string, JobRecord>,
  grid: GridView,
  now: number,
): Promise<PersistedDispatch[]> {
  const planned: PersistedDispatch[] = [];
  const transitions: Transition[] = [];
  for (const decision of decisions) {
    const job = jobs.get(decision.jobId);
    const pool = grid.poolsById.get(decision.poolId);
    if (!job || !pool) continue;
    const dispatchKey = nextDispatchKey(job.id, job.dispatchKey);
    planned.push({ job, decision, dispatchKey, pool });
    transitions.push({
      jobId: job.id,
      from: ['queued', 'preempted'],
      to: 'dispatching',
      at: now,
      reason: decision.backfilled ? 'backfilled' : 'dispatched',
      data: { clusterId: decision.clusterId, poolId: decision.poolId, nodeNames: decision.nodeNames, borrowed: decision.borrowed, dispatchKey },
      patch: {
        dispatchKey, clusterId: decision.clusterId, poolId: decision.poolId, nodeNames: decision.nodeNames, borrowed: decision.borrowed,
        externalId: null, startedAt: null, endedAt: null, exitCode: null, reason: null, reasonData: null,
      },
    });
  }
  assertActive(ctx);
  const moved = await transitionJobsBulk(ctx.db, transitions);
  return planned.filter((p) => moved.has(p.job.id));
}
