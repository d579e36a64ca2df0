/**
 * Usage as REST, gRPC and the CLI show it: GPU-hours from the ledger grouped by time or by who/where,
 * the budget state of allocations, and the meter's discrepancies. Validates and authorises
 * (usage-access.ts); the numbers come from the store.
 */
import { DomainError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { Page, PageRequest } from '../store/cursor.js';
import { getAllocation } from '../store/repositories/allocations.js';
import { listDiscrepancies, type DiscrepancyFilter, type DiscrepancyRecord } from '../store/repositories/metering-discrepancies.js';
import { allocationUsage, USAGE_GROUPINGS, usageByGroup, type AllocationUsage, type UsageGroup, type UsageGroupBy } from '../store/repositories/usage-report.js';
import type { Db } from '../store/rows.js';
import { mayViewAllocation, scopeDiscrepancies, scopeUsage, type UsageScope } from './usage-access.js';

/** A usage question; `from`/`to` in epoch ms (default: the 30 days up to now). */
export interface UsageQuery extends UsageScope {
  from?: number;
  to?: number;
  groupBy?: string;
}

/** One group of the answer. */
export interface UsageRow extends UsageGroup {
  gpuHours: number;
}

/** The answer to a usage question. */
export interface UsageAnswer {
  from: number;
  to: number;
  groupBy: UsageGroupBy;
  /** The filter as applied (narrowed to what the caller may see). */
  scope: UsageScope;
  rows: UsageRow[];
  total: UsageRow;
  /** Budget state of the institution's allocations, when the answer is about one institution. */
  allocations?: AllocationUsage[];
}

const DAY = 86_400_000;
/** Longest span one question may cover (a little over three years of daily rows). */
const MAX_SPAN = 1_200 * DAY;

/** What the service needs. */
export interface UsageServiceDeps {
  db: Db;
  now?: () => number;
  /** The burn rate is measured over this many recent days (default 7). */
  burnWindowDays?: number;
}

/** Usage, budgets and discrepancies. */
export class UsageService {
  private readonly now: () => number;
  private readonly burnWindowMs: number;

  constructor(private readonly deps: UsageServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.burnWindowMs = (deps.burnWindowDays ?? 7) * DAY;
  }

  /** GPU-hours grouped as asked, with the institution's budgets when the answer is about one institution. */
  async usage(p: Principal, q: UsageQuery): Promise<UsageAnswer> {
    const groupBy = (q.groupBy ?? 'day') as UsageGroupBy;
    if (!(USAGE_GROUPINGS as readonly string[]).includes(groupBy)) {
      throw DomainError.invalid(`groupBy must be one of ${USAGE_GROUPINGS.join(', ')}, got ${JSON.stringify(q.groupBy)}`, [{ path: 'groupBy', message: 'unknown grouping' }]);
    }
    const to = q.to ?? this.now();
    const from = q.from ?? to - 30 * DAY;
    if (!(from < to)) throw DomainError.invalid('from must be before to', [{ path: 'from', message: 'not before to' }]);
    if (to - from > MAX_SPAN) throw DomainError.invalid(`from … to may span at most ${MAX_SPAN / DAY} days`, [{ path: 'from', message: 'span too long' }]);
    const { from: _f, to: _t, groupBy: _g, ...asked } = q;
    const scope = scopeUsage(p, compact(asked));
    const groups = await usageByGroup(this.deps.db, { from, to, ...scope }, groupBy);
    const rows = groups.map(withHours);
    const total = withHours(rows.reduce<UsageGroup>(
      (t, r) => ({ key: 'total', gpuSeconds: t.gpuSeconds + r.gpuSeconds, measuredGpuSeconds: t.measuredGpuSeconds + r.measuredGpuSeconds, estimatedGpuSeconds: t.estimatedGpuSeconds + r.estimatedGpuSeconds }),
      { key: 'total', gpuSeconds: 0, measuredGpuSeconds: 0, estimatedGpuSeconds: 0 },
    ));
    const answer: UsageAnswer = { from, to, groupBy, scope, rows, total };
    if (scope.institutionId !== undefined && mayViewAllocation(p, scope.institutionId)) {
      answer.allocations = await allocationUsage(this.deps.db, { institutionId: scope.institutionId }, this.now(), this.burnWindowMs);
    }
    return answer;
  }

  /** Budget state of one allocation: awarded, used, remaining, burn rate, projected exhaustion. */
  async allocation(p: Principal, allocationId: string): Promise<AllocationUsage> {
    const allocation = await getAllocation(this.deps.db, allocationId);
    if (!mayViewAllocation(p, allocation.institutionId)) throw DomainError.notFound('allocation', allocationId);
    const [state] = await allocationUsage(this.deps.db, { ids: [allocationId] }, this.now(), this.burnWindowMs);
    if (!state) throw DomainError.notFound('allocation', allocationId);
    return state;
  }

  /** The meter's discrepancies, most recent first. */
  async discrepancies(p: Principal, filter: DiscrepancyFilter, page: PageRequest): Promise<Page<DiscrepancyRecord>> {
    return listDiscrepancies(this.deps.db, scopeDiscrepancies(p, filter), page);
  }
}

function withHours(g: UsageGroup): UsageRow {
  return { ...g, gpuHours: g.gpuSeconds / 3600 };
}

function compact<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined && v !== '')) as T;
}
