/**
 * The allocation workflow (like ColdFront's) that REST and gRPC share: a national admin awards an
 * institution GPU-hours for a period; its admin splits the award across the institution's projects;
 * either files change requests (allocation-change-requests.ts) that a national admin approves or rejects.
 * Every step is an allocation event and an audit row, written in the step's own transaction. Roles are
 * the authorisation table's business; this service narrows to the caller's institution.
 */
import { DomainError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { Allocation } from '../domain/types.js';
import { awardBodySchema, splitBodySchema } from '../api/schemas/allocations.js';
import { parseOrInvalid } from '../api/schemas/zod-issues.js';
import type { Period } from '../reports/period.js';
import { getAllocation, listAllocations } from '../store/repositories/allocations.js';
import { writeAward } from '../store/repositories/allocation-changes.js';
import { appendAllocationEvent, listAllocationEvents, type AllocationEvent } from '../store/repositories/allocation-events.js';
import { listAllocationRequests, type AllocationRequest } from '../store/repositories/allocation-requests.js';
import { listSplits, writeSplit, type SplitResult } from '../store/repositories/allocation-splits.js';
import { getProject } from '../store/repositories/projects.js';
import type { Db } from '../store/rows.js';
import { assertAllocationInScope, scopeInstitution } from './allocation-access.js';
import { ChangeRequests } from './allocation-change-requests.js';
import { recordAudit } from './audit.js';
import { instantOrInvalid, periodOrInvalid } from './period-input.js';

/** An allocation with everything the requester follows. */
export interface AllocationDetail {
  allocation: Allocation;
  /** GPU-hours split to projects (0 for a sub-allocation). */
  allocatedGpuHours: number;
  subAllocations: Allocation[];
  requests: AllocationRequest[];
  events: AllocationEvent[];
}

/** Listing filter as the caller gives it. */
export interface AllocationListFilter {
  institutionId?: string;
  /** A period name (`2026-Q4`, `2026`, `from/to`): allocations overlapping it. */
  period?: string;
  /** Only institution awards. */
  awardsOnly?: boolean;
}

/** Construction options. */
export interface AllocationServiceOptions {
  db: Db;
  now?: () => number;
}

/** Awards, splits, change requests and their timeline. */
export class AllocationService {
  private readonly db: Db;
  private readonly now: () => number;
  /** Filing and deciding change requests. */
  readonly requests: ChangeRequests;

  constructor(opts: AllocationServiceOptions) {
    this.db = opts.db;
    this.now = opts.now ?? Date.now;
    this.requests = new ChangeRequests(this.db, this.now);
  }

  /** Allocations the caller may see, by institution and period start. */
  async list(p: Principal, filter: AllocationListFilter = {}): Promise<Allocation[]> {
    const institutionId = scopeInstitution(p, filter.institutionId);
    const period = filter.period === undefined ? undefined : periodOrInvalid(filter.period, 'period');
    return listAllocations(this.db, {
      ...(institutionId !== undefined ? { institutionId } : {}),
      ...(period ? { overlaps: { start: period.start, end: period.end } } : {}),
      ...(filter.awardsOnly ? { awardsOnly: true } : {}),
    });
  }

  /** One allocation with its splits, change requests and events; another institution's is a 404. */
  async get(p: Principal, id: string): Promise<AllocationDetail> {
    const allocation = await getAllocation(this.db, id);
    assertAllocationInScope(p, allocation);
    const [subAllocations, requests, events] = await Promise.all([
      listSplits(this.db, id),
      listAllocationRequests(this.db, { allocationId: id }),
      listAllocationEvents(this.db, id),
    ]);
    return { allocation, allocatedGpuHours: subAllocations.reduce((s, a) => s + a.gpuHours, 0), subAllocations, requests, events };
  }

  /** Award an institution GPU-hours for a period (one award per institution and period). */
  async award(p: Principal, body: unknown): Promise<Allocation> {
    const input = parseOrInvalid(awardBodySchema, body, 'allocation award');
    const period = awardPeriod(input);
    const award: Allocation = {
      id: input.id ?? (period.kind === 'range' ? `alloc-${input.institution}-${new Date(period.start).toISOString().slice(0, 10)}` : `alloc-${input.institution}-${period.name.toLowerCase()}`),
      institutionId: input.institution,
      periodStart: period.start,
      periodEnd: period.end,
      gpuHours: input.gpuHours,
      kind: input.kind,
      gracePct: input.gracePct,
      mayBorrow: input.mayBorrow,
      ...(input.maxConcurrentGpus !== undefined ? { maxConcurrentGpus: input.maxConcurrentGpus } : {}),
    };
    return this.db.transaction().execute(async (tx) => {
      const created = await writeAward(tx, award);
      await appendAllocationEvent(tx, { allocationId: created.id, actorUserId: p.userId, kind: 'awarded', data: { gpuHours: created.gpuHours, period: period.name } });
      await recordAudit(tx, p, { action: 'allocation.award', target: { kind: 'allocation', id: created.id }, institutionId: created.institutionId, after: created });
      return created;
    });
  }

  /**
   * Set a project's share of an award (create or resize). The splits never sum to more than the award:
   * checked under a lock on the award; a violation is a 409 stating award, allocated and requested.
   */
  async split(p: Principal, awardId: string, projectId: string, body: unknown): Promise<SplitResult> {
    // Scope before the body: another institution's award is a 404 whatever was sent.
    const award = await getAllocation(this.db, awardId);
    assertAllocationInScope(p, award);
    const project = await getProject(this.db, projectId).catch(() => undefined);
    if (!project || project.institutionId !== award.institutionId) throw DomainError.notFound('project', projectId);
    const input = parseOrInvalid(splitBodySchema, body, 'allocation split');
    return this.db.transaction().execute(async (tx) => {
      const result = await writeSplit(tx, { awardId, projectId, gpuHours: input.gpuHours, ...(input.maxConcurrentGpus !== undefined ? { maxConcurrentGpus: input.maxConcurrentGpus } : {}) }, this.now());
      const data = { project: projectId, subAllocation: result.after.id, gpuHours: input.gpuHours, previousGpuHours: result.before?.gpuHours ?? 0, allocatedGpuHours: result.allocatedGpuHours };
      await appendAllocationEvent(tx, { allocationId: awardId, actorUserId: p.userId, kind: 'split', data });
      await recordAudit(tx, p, { action: 'allocation.split', target: { kind: 'allocation', id: result.after.id }, institutionId: award.institutionId, before: result.before, after: result.after, data: { award: awardId } });
      return result;
    });
  }
}

function awardPeriod(input: { period?: string | undefined; periodStart?: string | undefined; periodEnd?: string | undefined }): Period {
  if (input.period !== undefined) {
    if (input.periodStart !== undefined || input.periodEnd !== undefined) throw DomainError.invalid('give either period or periodStart and periodEnd, not both', [{ path: 'period', message: 'both given' }]);
    return periodOrInvalid(input.period, 'period');
  }
  if (input.periodStart === undefined || input.periodEnd === undefined) {
    throw DomainError.invalid('give the period (2026-Q4) or both periodStart and periodEnd', [{ path: input.periodStart === undefined ? 'periodStart' : 'periodEnd', message: 'required' }]);
  }
  const start = instantOrInvalid(input.periodStart, 'periodStart');
  const end = instantOrInvalid(input.periodEnd, 'periodEnd');
  if (!(end > start)) throw DomainError.invalid('periodEnd must be after periodStart', [{ path: 'periodEnd', message: 'not after periodStart' }]);
  return periodOrInvalid(`${input.periodStart}/${input.periodEnd}`, 'period');
}
