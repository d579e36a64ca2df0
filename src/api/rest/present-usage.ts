/**
 * Usage as the REST API shows it: RFC 3339 times, GPU-hours next to GPU-seconds, and a CSV form whose
 * first column is named after the grouping (`day,gpu_hours,…`), for spreadsheets and `ncg usage --output csv`.
 */
import type { AllocationUsage } from '../../store/repositories/usage-report.js';
import type { DiscrepancyRecord } from '../../store/repositories/metering-discrepancies.js';
import type { UsageAnswer, UsageRow } from '../../services/usage-service.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** GPU-hours rounded to what a report shows (a millisecond of one GPU is below this). */
function hours(h: number): number {
  return Math.round(h * 1e6) / 1e6;
}

function presentRow(r: UsageRow) {
  return { key: r.key, gpuHours: hours(r.gpuHours), gpuSeconds: r.gpuSeconds, measuredGpuSeconds: r.measuredGpuSeconds, estimatedGpuSeconds: r.estimatedGpuSeconds };
}

/** An allocation's budget state. */
export function presentAllocationUsage(a: AllocationUsage) {
  return {
    allocation: a.allocationId,
    institution: a.institutionId,
    ...(a.projectId !== undefined ? { project: a.projectId } : {}),
    kind: a.kind,
    periodStart: iso(a.periodStart),
    periodEnd: iso(a.periodEnd),
    awardedGpuHours: a.awardedGpuHours,
    usedGpuHours: hours(a.usedGpuHours),
    remainingGpuHours: hours(a.remainingGpuHours),
    burnRateGpuHoursPerDay: hours(a.burnRateGpuHoursPerDay),
    projectedExhaustion: a.projectedExhaustionAt !== undefined ? iso(a.projectedExhaustionAt) : null,
    exhaustsBeforePeriodEnd: a.projectedExhaustionAt !== undefined && a.projectedExhaustionAt < a.periodEnd,
    exhausted: a.exhausted,
  };
}

/** The JSON answer of GET /v1/usage. */
export function presentUsage(u: UsageAnswer) {
  return {
    from: iso(u.from),
    to: iso(u.to),
    groupBy: u.groupBy,
    filter: {
      ...(u.scope.institutionId ? { institution: u.scope.institutionId } : {}),
      ...(u.scope.projectId ? { project: u.scope.projectId } : {}),
      ...(u.scope.userId ? { user: u.scope.userId } : {}),
      ...(u.scope.clusterId ? { cluster: u.scope.clusterId } : {}),
    },
    rows: u.rows.map(presentRow),
    total: presentRow(u.total),
    ...(u.allocations ? { allocations: u.allocations.map(presentAllocationUsage) } : {}),
  };
}

/** One CSV field, quoted when it must be. */
function field(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV answer of GET /v1/usage: one line per group, no total line (spreadsheets sum). */
export function usageCsv(u: UsageAnswer): string {
  const header = [u.groupBy, 'gpu_hours', 'gpu_seconds', 'measured_gpu_seconds', 'estimated_gpu_seconds'];
  const lines = u.rows.map((r) => [r.key, hours(r.gpuHours), r.gpuSeconds, r.measuredGpuSeconds, r.estimatedGpuSeconds].map(field).join(','));
  return [header.join(','), ...lines].join('\n') + '\n';
}

/** A discrepancy. */
export function presentDiscrepancy(d: DiscrepancyRecord) {
  return {
    id: d.id,
    cluster: d.clusterId,
    kind: d.kind,
    ref: d.ref,
    ...(d.jobId !== undefined ? { job: d.jobId } : {}),
    windowStart: iso(d.windowStart),
    windowEnd: iso(d.windowEnd),
    gpuSeconds: d.gpuSeconds,
    detectedAt: iso(d.detectedAt),
  };
}
