/**
 * Who may see which KPIs. National and compute-side numbers (capacity, delivery, waits by site,
 * province, cluster or GPU type, the Pillar-5 report, snapshots) are aggregates every signed-in user may
 * see. Numbers *about an institution* are a national admin's, or that institution's own members':
 *   - grouped by institution or project, others see only their own institution's rows;
 *   - the allocation pipeline and the list of institutions served shrink to their own institution;
 *   - an institution page of another institution is a 403 that says so.
 */
import { DomainError } from '../domain/errors.js';
import { hasRole, type Principal } from '../domain/principal.js';
import type { KpiReport } from './kpi/report.js';

/** True when the principal sees every institution. */
export function seesAllInstitutions(p: Principal): boolean {
  return hasRole(p, 'national-admin');
}

/** Throw `forbidden` unless the principal may see institution `id`'s page. */
export function assertMayViewInstitution(p: Principal, id: string): void {
  if (seesAllInstitutions(p) || p.institutionId === id) return;
  throw new DomainError('forbidden', `you may see your own institution (${p.institutionId}) only`, { institutionId: id });
}

/** The KPI answer narrowed to what the principal may see. */
export function scopeKpiReport(p: Principal, r: KpiReport, projectInstitution: (projectId: string) => string | undefined): KpiReport {
  if (seesAllInstitutions(p)) return r;
  const own = p.institutionId;
  const groups =
    r.groupBy === 'institution' ? r.groups.filter((g) => g.key === own)
    : r.groupBy === 'project' ? r.groups.filter((g) => projectInstitution(g.key) === own)
    : r.groups;
  const institutions = r.allocations.institutions.filter((l) => l.institutionId === own);
  return {
    ...r,
    groups,
    institutionsServed: { ...r.institutionsServed, ids: r.institutionsServed.ids.filter((i) => i === own) },
    allocations: {
      ...r.allocations,
      institutions,
      exhaustedInstitutions: r.allocations.exhaustedInstitutions.filter((i) => i === own),
    },
  };
}
