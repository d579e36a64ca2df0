/**
 * KPIs as REST, gRPC, the CLI and the dashboard ask for them: parse the period and grouping, make the
 * rollups fresh (throttled), load the period's rows, compute, scope to the caller. Also the Pillar-5
 * document and the verified snapshot list.
 */
import { DomainError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import { refreshKpiRollups } from '../store/repositories/kpi-rollups.js';
import type { Db } from '../store/rows.js';
import type { ReportsConfig } from './config.js';
import { kpiReport, type KpiReport } from './kpi/report.js';
import { GROUPINGS, type Grouping, type KpiInput } from './kpi/types.js';
import { parseInstant, parsePeriod, periodContaining, rangePeriod, PeriodError, type Period } from './period.js';
import { PILLAR5_GROUPINGS, pillar5Report, type Pillar5Report } from './pillar5.js';
import { loadKpiInput } from './queries/kpi-input.js';
import { scopeKpiReport } from './report-access.js';
import { listVerifiedSnapshots, SNAPSHOT_KIND, summarise, type SnapshotSummary } from './snapshots.js';
import { findSnapshot } from '../store/repositories/kpi-snapshots.js';

/** A KPI question as the transports pass it (all optional strings). */
export interface KpiQuery {
  period?: string;
  from?: string;
  to?: string;
  groupBy?: string;
}

/** What the service needs. */
export interface ReportServiceDeps {
  db: Db;
  /** The grid's clock (sim time on sim grids). */
  now: () => number;
  config: ReportsConfig;
  /** Rollups are refreshed before a query at most this often (default 5 s; the worker refreshes too). */
  freshnessMs?: number;
}

/** KPIs, the Pillar-5 report and snapshots. */
export class ReportService {
  private lastRefresh = 0;
  private refreshing: Promise<unknown> | undefined;

  constructor(private readonly deps: ReportServiceDeps) {}

  /** The grid's clock. */
  now(): number {
    return this.deps.now();
  }

  /** Resolve `period` or `from`/`to` (default: the month so far). 400 naming the parameter when bad. */
  resolvePeriod(q: Pick<KpiQuery, 'period' | 'from' | 'to'>): Period {
    try {
      if (q.period !== undefined) {
        if (q.from !== undefined || q.to !== undefined) throw DomainError.invalid('give either period or from/to, not both', [{ path: 'period', message: 'with from/to' }]);
        return parsePeriod(q.period);
      }
      if (q.from !== undefined || q.to !== undefined) {
        if (q.from === undefined || q.to === undefined) throw DomainError.invalid('from and to go together', [{ path: q.from === undefined ? 'from' : 'to', message: 'missing' }]);
        return rangePeriod(parseInstant(q.from), parseInstant(q.to));
      }
      return periodContaining('month', this.now());
    } catch (e) {
      if (e instanceof PeriodError) throw DomainError.invalid(e.message, [{ path: q.period !== undefined ? 'period' : 'from', message: 'not a period' }]);
      throw e;
    }
  }

  /** Refresh the rollups unless that happened within the freshness window (concurrent callers share one refresh). */
  async fresh(): Promise<void> {
    if (Date.now() - this.lastRefresh < (this.deps.freshnessMs ?? 5_000)) return;
    this.refreshing ??= refreshKpiRollups(this.deps.db).finally(() => {
      this.lastRefresh = Date.now();
      this.refreshing = undefined;
    });
    await this.refreshing;
  }

  /** The rows of one period for `groupings` (rollups fresh). */
  async input(period: Period, groupings: readonly Grouping[]): Promise<KpiInput> {
    await this.fresh();
    return loadKpiInput(this.deps.db, period, {
      now: this.now(),
      groupings,
      unmanaged: this.deps.config.unmanagedCapacity,
      institutionTargets: this.deps.config.institutionTargets,
    });
  }

  /** KPIs for a period and grouping, narrowed to what the principal may see. */
  async kpis(p: Principal, q: KpiQuery): Promise<KpiReport> {
    const groupBy = (q.groupBy ?? 'national') as Grouping;
    if (!(GROUPINGS as readonly string[]).includes(groupBy)) {
      throw DomainError.invalid(`groupBy must be one of ${GROUPINGS.join(', ')}, got ${JSON.stringify(String(q.groupBy).slice(0, 40))}`, [{ path: 'groupBy', message: 'unknown grouping' }]);
    }
    const input = await this.input(this.resolvePeriod(q), [groupBy]);
    const projects = new Map(input.projects.map((x) => [x.id, x.institutionId]));
    return scopeKpiReport(p, kpiReport(input, groupBy), (id) => projects.get(id));
  }

  /** The Pillar-5 document of a period (aggregates only: every signed-in user may see it). */
  async pillar5(q: Pick<KpiQuery, 'period' | 'from' | 'to'>): Promise<Pillar5Report> {
    return pillar5Report(await this.input(this.resolvePeriod(q), PILLAR5_GROUPINGS));
  }

  /** Build the Pillar-5 document of an already resolved period (the snapshot schedule's builder). */
  async pillar5Of(period: Period): Promise<Pillar5Report> {
    return pillar5Report(await this.input(period, PILLAR5_GROUPINGS));
  }

  /** One snapshot with its content, verified now; `not_found` when that period was never snapshotted. */
  async snapshot(period: string): Promise<SnapshotSummary & { content: unknown }> {
    const found = await findSnapshot(this.deps.db, SNAPSHOT_KIND, period);
    if (!found) throw new DomainError('not_found', `no snapshot of period ${JSON.stringify(period.slice(0, 40))}`, { period: period.slice(0, 40) });
    return { ...summarise(found), content: found.content };
  }

  /** Every snapshot, newest first, its hash re-verified. */
  snapshots(): Promise<SnapshotSummary[]> {
    return listVerifiedSnapshots(this.deps.db);
  }
}
