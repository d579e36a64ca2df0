/**
 * Splitting an institution's award into project sub-allocations. The rule — the splits of an award never
 * sum to more than the award — is checked in the transaction that writes the split, after taking a row
 * lock on the award (`select … for update`). Concurrent splits of one award therefore run one after the
 * other, and each sums the splits the previous one committed (READ COMMITTED takes a fresh snapshot per
 * statement), so no interleaving can overshoot. Approving more GPU-hours for the award takes the same lock.
 */
import { sql } from 'kysely';
import type { Allocation } from '../../domain/types.js';
import { DomainError } from '../../domain/errors.js';
import { newId } from '../ids.js';
import type { Db } from '../rows.js';
import { allocationFromRow } from './allocations.js';

/** GPU-hours are compared with this slack so float sums such as 0.1 + 0.2 do not refuse an exact fit. */
const EPSILON = 1e-9;

/** A project's share of an award to set (creating or resizing the sub-allocation). */
export interface SplitInput {
  awardId: string;
  projectId: string;
  gpuHours: number;
  /** Cap of GPUs in use at once for the project; undefined keeps the current one (none for a new split). */
  maxConcurrentGpus?: number;
}

/** The outcome: the award, the sub-allocation before (absent when new) and after, and the new total. */
export interface SplitResult {
  award: Allocation;
  before?: Allocation;
  after: Allocation;
  /** GPU-hours of all the award's splits after this one. */
  allocatedGpuHours: number;
}

/** The award row, locked for the rest of the transaction; `not_found` if missing, `unprocessable` if it is a split. */
export async function lockAward(tx: Db, awardId: string): Promise<Allocation> {
  const row = await tx.selectFrom('allocations').selectAll().where('id', '=', awardId).forUpdate().executeTakeFirst();
  if (!row) throw DomainError.notFound('allocation', awardId);
  if (row.project_id !== null) {
    throw new DomainError('unprocessable', `allocation ${awardId} is a project sub-allocation; split or change the institution award it belongs to${row.parent_id ? ` (${row.parent_id})` : ''}`, { allocationId: awardId });
  }
  return allocationFromRow(row);
}

/** GPU-hours already split from the award, leaving out one project's split. */
export async function splitTotal(tx: Db, awardId: string, exceptProjectId?: string): Promise<number> {
  let q = tx.selectFrom('allocations').select(sql<number>`coalesce(sum(gpu_hours), 0)::float8`.as('total')).where('parent_id', '=', awardId);
  if (exceptProjectId !== undefined) q = q.where('project_id', '<>', exceptProjectId);
  return (await q.executeTakeFirstOrThrow()).total;
}

/**
 * Set a project's share of an award inside `tx` (which must be a transaction: the lock lasts until it
 * ends). The split takes the award's period, kind, grace and borrowing. Refuses with `conflict` when the
 * splits would exceed the award, stating award, already allocated and requested.
 */
export async function writeSplit(tx: Db, input: SplitInput, nowMs: number): Promise<SplitResult> {
  const award = await lockAward(tx, input.awardId);
  const others = await splitTotal(tx, award.id, input.projectId);
  if (others + input.gpuHours > award.gpuHours + EPSILON) {
    const free = Math.max(0, award.gpuHours - others);
    throw new DomainError(
      'conflict',
      `award ${award.id} is ${award.gpuHours} GPU-hours; ${others} are already allocated to other projects; ${input.gpuHours} requested for ${input.projectId} — at most ${free} can be`,
      { allocationId: award.id, awardGpuHours: award.gpuHours, allocatedGpuHours: others, requestedGpuHours: input.gpuHours, availableGpuHours: free },
    );
  }
  const existing = await tx.selectFrom('allocations').selectAll().where('parent_id', '=', award.id).where('project_id', '=', input.projectId).executeTakeFirst();
  const maxConcurrent = input.maxConcurrentGpus ?? existing?.max_concurrent_gpus ?? null;
  const row = existing
    ? await tx.updateTable('allocations').set({ gpu_hours: input.gpuHours, max_concurrent_gpus: maxConcurrent }).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow()
    : await tx
        .insertInto('allocations')
        .values({
          id: newId('sub', nowMs),
          institution_id: award.institutionId,
          project_id: input.projectId,
          parent_id: award.id,
          period_start: new Date(award.periodStart),
          period_end: new Date(award.periodEnd),
          gpu_hours: input.gpuHours,
          kind: award.kind,
          grace_pct: award.gracePct,
          max_concurrent_gpus: maxConcurrent,
          may_borrow: award.mayBorrow,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
  const result: SplitResult = { award, after: allocationFromRow(row), allocatedGpuHours: others + input.gpuHours };
  if (existing) result.before = allocationFromRow(existing);
  return result;
}

/** The sub-allocations split from an award, by project. */
export async function listSplits(db: Db, awardId: string): Promise<Allocation[]> {
  const rows = await db.selectFrom('allocations').selectAll().where('parent_id', '=', awardId).orderBy('project_id').execute();
  return rows.map(allocationFromRow);
}
