/**
 * The KPIs that only make sense for the grid as a whole: institutions served against the policy's
 * targets, consolidation of HPC clusters under ncg, and the allocation pipeline.
 */
import { round } from './round.js';
import { capacityKpis, poolsInPeriod } from './capacity.js';
import { SERVED_THRESHOLD_GPU_SECONDS } from './compute.js';
import type { KpiInput } from './types.js';

/** Institutions with compute access against the targets. */
export interface InstitutionsServed {
  served: number;
  /** Institutions registered on the grid. */
  registered: number;
  targets: { target: number; met: boolean; progress: number }[];
  /** Ids of the institutions served, sorted. */
  ids: string[];
}

/** How much of the national GPU capacity ncg federates. */
export interface Consolidation {
  clustersFederated: number;
  clustersByKind: Record<string, number>;
  managedGpus: number;
  managedPflops: number;
  /** Managed plus the known systems not under ncg (configuration `reports.unmanagedCapacity`). */
  registeredNationalGpus: number;
  registeredNationalPflops: number;
  managedShareGpus: number | null;
  managedSharePflops: number | null;
  unmanagedSystems: string[];
}

/** One institution's awards against its use. */
export interface AllocationLine {
  institutionId: string;
  awardedGpuHours: number;
  usedGpuHours: number;
  remainingGpuHours: number;
  usedShare: number | null;
  exhausted: boolean;
}

/** The allocation pipeline: GPU-hours awarded vs used, per institution. */
export interface AllocationPipeline {
  awardedGpuHours: number;
  usedGpuHours: number;
  institutions: AllocationLine[];
  exhaustedInstitutions: string[];
}

/** Institutions with ≥ 1 GPU-hour in the period, against each target. */
export function institutionsServed(input: KpiInput): InstitutionsServed {
  const sums = new Map<string, number>();
  for (const r of input.usage) sums.set(r.institutionId, (sums.get(r.institutionId) ?? 0) + r.gpuSeconds);
  const ids = [...sums].filter(([, v]) => v >= SERVED_THRESHOLD_GPU_SECONDS).map(([k]) => k).sort();
  return {
    served: ids.length,
    registered: input.institutions.length,
    targets: input.institutionTargets.map((t) => ({ target: t, met: ids.length >= t, progress: round(ids.length / t, 4) })),
    ids,
  };
}

/** Clusters federated and the managed share of registered national capacity at the end of the period. */
export function consolidation(input: KpiInput): Consolidation {
  const clusters = input.clusters.filter((c) => c.registeredAt < input.period.end);
  const clustersByKind: Record<string, number> = {};
  for (const c of clusters) clustersByKind[c.kind] = (clustersByKind[c.kind] ?? 0) + 1;
  const managed = capacityKpis(input, poolsInPeriod(input));
  const otherGpus = input.unmanaged.reduce((s, u) => s + u.gpus, 0);
  const otherPflops = input.unmanaged.reduce((s, u) => s + (u.gpus * u.bf16Tflops) / 1000, 0);
  const totalGpus = managed.gpus + otherGpus;
  const totalPflops = round(managed.bf16Pflops + otherPflops, 3);
  return {
    clustersFederated: clusters.length,
    clustersByKind: Object.fromEntries(Object.entries(clustersByKind).sort()),
    managedGpus: managed.gpus,
    managedPflops: managed.bf16Pflops,
    registeredNationalGpus: totalGpus,
    registeredNationalPflops: totalPflops,
    managedShareGpus: totalGpus > 0 ? round(managed.gpus / totalGpus, 4) : null,
    managedSharePflops: totalPflops > 0 ? round(managed.bf16Pflops / totalPflops, 4) : null,
    unmanagedSystems: input.unmanaged.map((u) => u.name),
  };
}

/**
 * Awards overlapping the period against what the ledger charged to them over their own periods.
 * Institution-level awards only: a project sub-allocation is part of its institution's award.
 */
export function allocationPipeline(input: KpiInput): AllocationPipeline {
  const by = new Map<string, { awarded: number; usedSeconds: number }>();
  for (const a of input.allocations) {
    if (a.projectId !== undefined || a.periodEnd <= input.period.start || a.periodStart >= input.period.end) continue;
    const line = by.get(a.institutionId) ?? { awarded: 0, usedSeconds: 0 };
    line.awarded += a.gpuHours;
    line.usedSeconds += a.usedGpuSeconds;
    by.set(a.institutionId, line);
  }
  const institutions = [...by]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([institutionId, l]): AllocationLine => {
      const used = round(l.usedSeconds / 3600, 3);
      return {
        institutionId,
        awardedGpuHours: round(l.awarded, 3),
        usedGpuHours: used,
        remainingGpuHours: round(Math.max(0, l.awarded - used), 3),
        usedShare: l.awarded > 0 ? round(used / l.awarded, 4) : null,
        exhausted: l.awarded > 0 && used >= l.awarded,
      };
    });
  return {
    awardedGpuHours: round(institutions.reduce((s, l) => s + l.awardedGpuHours, 0), 3),
    usedGpuHours: round(institutions.reduce((s, l) => s + l.usedGpuHours, 0), 3),
    institutions,
    exhaustedInstitutions: institutions.filter((l) => l.exhausted).map((l) => l.institutionId),
  };
}
