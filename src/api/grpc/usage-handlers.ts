/**
 * `ncg.v1.UsageService` (proto/ncg/v1/usage.proto): the same UsageService REST's /v1/usage,
 * /v1/allocations/{id}/usage and /v1/metering/discrepancies call, so rules and errors are identical.
 */
import type * as grpc from '@grpc/grpc-js';
import { DomainError } from '../../domain/errors.js';
import type { UsageService } from '../../services/usage-service.js';
import type { AllocationUsage } from '../../store/repositories/usage-report.js';
import { unary, type CallContext, type Request } from './call.js';

/** What the usage handlers need. */
export interface UsageHandlerDeps extends CallContext {
  usage: UsageService;
}

const text = (r: Request, name: string): string | undefined => (typeof r[name] === 'string' && r[name] !== '' ? (r[name] as string) : undefined);
const millis = (r: Request, name: string): number | undefined => (typeof r[name] === 'number' ? (r[name] as number) : undefined);

/** An AllocationUsage as an `ncg.v1.AllocationUsage` message. */
export function allocationUsageMessage(a: AllocationUsage): Record<string, unknown> {
  return {
    allocation: a.allocationId, institution: a.institutionId, project: a.projectId ?? '', kind: a.kind,
    period_start_ms: a.periodStart, period_end_ms: a.periodEnd, awarded_gpu_hours: a.awardedGpuHours, used_gpu_hours: a.usedGpuHours,
    remaining_gpu_hours: a.remainingGpuHours, burn_rate_gpu_hours_per_day: a.burnRateGpuHoursPerDay, exhausted: a.exhausted,
    ...(a.projectedExhaustionAt !== undefined ? { projected_exhaustion_ms: a.projectedExhaustionAt } : {}),
  };
}

const row = (r: { key: string; gpuHours: number; gpuSeconds: number; measuredGpuSeconds: number; estimatedGpuSeconds: number }) => ({
  key: r.key, gpu_hours: r.gpuHours, gpu_seconds: r.gpuSeconds, measured_gpu_seconds: r.measuredGpuSeconds, estimated_gpu_seconds: r.estimatedGpuSeconds,
});

/** The UsageService implementation for grpc-js. */
export function usageHandlers(deps: UsageHandlerDeps): grpc.UntypedServiceImplementation {
  return {
    GetUsage: unary(deps, 'UsageService.GetUsage', 'ncg.v1.GetUsageRequest', async (p, r) => {
      const u = await deps.usage.usage(p, {
        institutionId: text(r, 'institution'), projectId: text(r, 'project'), userId: text(r, 'user'), clusterId: text(r, 'cluster'),
        from: millis(r, 'from_ms'), to: millis(r, 'to_ms'), groupBy: text(r, 'group_by'),
      });
      return { from_ms: u.from, to_ms: u.to, group_by: u.groupBy, rows: u.rows.map(row), total: row(u.total), allocations: (u.allocations ?? []).map(allocationUsageMessage) };
    }),
    GetAllocationUsage: unary(deps, 'UsageService.GetAllocationUsage', 'ncg.v1.GetAllocationUsageRequest', async (p, r) => {
      const id = text(r, 'allocation');
      if (id === undefined) throw DomainError.invalid('allocation is required', [{ path: 'allocation', message: 'required' }]);
      return allocationUsageMessage(await deps.usage.allocation(p, id));
    }),
    ListDiscrepancies: unary(deps, 'UsageService.ListDiscrepancies', 'ncg.v1.ListDiscrepanciesRequest', async (p, r) => {
      const kind = text(r, 'kind');
      if (kind !== undefined && kind !== 'unknown-job' && kind !== 'ended-job') throw DomainError.invalid(`kind must be unknown-job or ended-job, got ${JSON.stringify(kind)}`, [{ path: 'kind', message: 'unknown kind' }]);
      const [cluster, from, to, cursor] = [text(r, 'cluster'), millis(r, 'from_ms'), millis(r, 'to_ms'), text(r, 'cursor')];
      const page = await deps.usage.discrepancies(
        p,
        { ...(cluster ? { clusterId: cluster } : {}), ...(kind ? { kind } : {}), ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) },
        { ...(typeof r.limit === 'number' ? { limit: r.limit } : {}), ...(cursor ? { cursor } : {}) },
      );
      return {
        items: page.items.map((d) => ({
          id: d.id, cluster: d.clusterId, kind: d.kind, ref: d.ref, job: d.jobId ?? '', window_start_ms: d.windowStart, window_end_ms: d.windowEnd, gpu_seconds: d.gpuSeconds, detected_at_ms: d.detectedAt,
        })),
        next_cursor: page.nextCursor ?? '',
      };
    }),
  };
}
