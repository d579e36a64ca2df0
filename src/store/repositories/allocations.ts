/** Allocations: GPU-hour awards to institutions (or project sub-allocations) for a period. */
import type { Allocation } from '../../domain/types.js';
import { DomainError, type FieldIssue } from '../../domain/errors.js';
import { withDbErrors } from '../db-errors.js';
import { date, ms, type Db } from '../rows.js';
import type { NewRow, Row } from '../schema.js';

/** Map an allocations row to the domain type. */
export function allocationFromRow(r: Row<'allocations'>): Allocation {
  const a: Allocation = {
    id: r.id,
    institutionId: r.institution_id,
    periodStart: ms(r.period_start),
    periodEnd: ms(r.period_end),
    gpuHours: r.gpu_hours,
    kind: r.kind,
    gracePct: r.grace_pct,
    mayBorrow: r.may_borrow,
  };
  if (r.project_id !== null) a.projectId = r.project_id;
  if (r.parent_id !== null) a.parentId = r.parent_id;
  if (r.max_concurrent_gpus !== null) a.maxConcurrentGpus = r.max_concurrent_gpus;
  return a;
}

/** The row for a domain allocation. */
export function allocationToRow(a: Allocation): NewRow<'allocations'> {
  return {
    id: a.id,
    institution_id: a.institutionId,
    project_id: a.projectId ?? null,
    parent_id: a.parentId ?? null,
    period_start: date(a.periodStart),
    period_end: date(a.periodEnd),
    gpu_hours: a.gpuHours,
    kind: a.kind,
    grace_pct: a.gracePct,
    max_concurrent_gpus: a.maxConcurrentGpus ?? null,
    may_borrow: a.mayBorrow,
  };
}

/** Field problems of an allocation, checked before the database so every bad field is named at once. */
export function allocationIssues(a: Allocation): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!(a.periodEnd > a.periodStart)) issues.push({ path: 'periodEnd', message: 'must be after periodStart' });
  if (!(a.gpuHours >= 0)) issues.push({ path: 'gpuHours', message: 'must be 0 or more' });
  if (!(a.gracePct >= 0 && a.gracePct <= 100)) issues.push({ path: 'gracePct', message: 'must be 0–100' });
  if (a.maxConcurrentGpus !== undefined && !(Number.isInteger(a.maxConcurrentGpus) && a.maxConcurrentGpus >= 0)) {
    issues.push({ path: 'maxConcurrentGpus', message: 'must be a whole number, 0 or more' });
  }
  return issues;
}

/** Record a new allocation; DomainError `invalid` for bad fields, `conflict` for a taken id. */
export async function createAllocation(db: Db, a: Allocation): Promise<Allocation> {
  const issues = allocationIssues(a);
  if (issues.length > 0) throw DomainError.invalid('allocation is not valid', issues);
  const row = await withDbErrors(() => db.insertInto('allocations').values(allocationToRow(a)).returningAll().executeTakeFirstOrThrow());
  return allocationFromRow(row);
}

/** One allocation, or DomainError `not_found`. */
export async function getAllocation(db: Db, id: string): Promise<Allocation> {
  const row = await db.selectFrom('allocations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw DomainError.notFound('allocation', id);
  return allocationFromRow(row);
}

/** Filters of `listAllocations`, combined with AND. */
export interface AllocationFilter {
  institutionId?: string;
  /** Epoch ms: only allocations whose period contains this instant. */
  activeAt?: number;
  /** Only allocations whose period overlaps [start, end). */
  overlaps?: { start: number; end: number };
  /** Only institution awards (no project sub-allocations). */
  awardsOnly?: boolean;
}

/**
 * Allocations ordered by institution, period start and id. `institutionId` narrows to one institution;
 * `activeAt` (epoch ms) keeps those whose period contains that instant.
 */
export async function listAllocations(db: Db, filter: AllocationFilter = {}): Promise<Allocation[]> {
  let query = db.selectFrom('allocations').selectAll().orderBy('institution_id').orderBy('period_start').orderBy('id');
  if (filter.institutionId !== undefined) query = query.where('institution_id', '=', filter.institutionId);
  if (filter.awardsOnly) query = query.where('project_id', 'is', null);
  if (filter.overlaps !== undefined) query = query.where('period_start', '<', date(filter.overlaps.end)).where('period_end', '>', date(filter.overlaps.start));
  if (filter.activeAt !== undefined) {
    const at = date(filter.activeAt);
    query = query.where('period_start', '<=', at).where('period_end', '>', at);
  }
  return (await query.execute()).map(allocationFromRow);
}
