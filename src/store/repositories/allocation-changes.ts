/**
 * Writing awards and approved changes to the `allocations` rows the scheduler's budgets read every cycle
 * (src/control/budgets.ts): an approved change is in force from the next scheduling cycle on.
 */
import type { Allocation } from '../../domain/types.js';
import { DomainError } from '../../domain/errors.js';
import { date, type Db } from '../rows.js';
import { allocationFromRow, createAllocation } from './allocations.js';

/**
 * Record a new institution award inside `tx`. The institution row is locked first, so two awards for one
 * institution cannot both pass the overlap check: one award per institution and period, changed later by
 * change requests rather than by stacking awards.
 */
export async function writeAward(tx: Db, award: Allocation): Promise<Allocation> {
  const inst = await tx.selectFrom('institutions').select('id').where('id', '=', award.institutionId).forUpdate().executeTakeFirst();
  if (!inst) throw DomainError.invalid(`institution ${JSON.stringify(award.institutionId)} does not exist`, [{ path: 'institution', message: 'unknown institution' }]);
  const overlap = await tx
    .selectFrom('allocations')
    .select('id')
    .where('institution_id', '=', award.institutionId)
    .where('project_id', 'is', null)
    .where('period_start', '<', date(award.periodEnd))
    .where('period_end', '>', date(award.periodStart))
    .executeTakeFirst();
  if (overlap) {
    throw new DomainError('conflict', `institution ${award.institutionId} already has award ${overlap.id} for an overlapping period; file a change request on it instead`, { allocationId: overlap.id });
  }
  return createAllocation(tx, award);
}

/** What an approved change does. */
export interface AllocationChange {
  extraGpuHours: number;
  /** The new period end; an end that is not later than the current one changes nothing. */
  extendTo?: number;
}

/**
 * Apply an approved change to a (locked) award inside `tx`: add GPU-hours, move the period end later.
 * The award's project splits that ended with the award move with it, so an extension reaches them too.
 */
export async function applyAllocationChange(tx: Db, award: Allocation, change: AllocationChange): Promise<Allocation> {
  const periodEnd = change.extendTo !== undefined && change.extendTo > award.periodEnd ? change.extendTo : award.periodEnd;
  const row = await tx
    .updateTable('allocations')
    .set({ gpu_hours: award.gpuHours + change.extraGpuHours, period_end: date(periodEnd) })
    .where('id', '=', award.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (periodEnd !== award.periodEnd) {
    await tx.updateTable('allocations').set({ period_end: date(periodEnd) }).where('parent_id', '=', award.id).where('period_end', '=', date(award.periodEnd)).execute();
  }
  return allocationFromRow(row);
}
