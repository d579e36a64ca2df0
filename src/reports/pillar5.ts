/**
 * The Pillar-5 report: one document with what the national AI policy asks to be reported — national AI
 * compute capacity, consolidation of HPC clusters, institutions with compute access against the targets,
 * GPU-hours delivered, utilisation, efficiency and waits — with per-province and per-site breakdowns.
 * The same document is served as JSON, CSV and HTML, and is what scheduled snapshots store.
 */
import { computeKpis, type KpiRow } from './kpi/compute.js';
import { kpiReport } from './kpi/report.js';
import type { Grouping, KpiInput } from './kpi/types.js';
import type { AllocationPipeline, Consolidation, InstitutionsServed } from './kpi/national.js';

/** The groupings the document is computed for. */
export const PILLAR5_GROUPINGS: readonly Grouping[] = ['national', 'province', 'site', 'institutionProvince'];

/** Format version of the document (bumped when its shape changes; snapshots keep theirs). */
export const PILLAR5_VERSION = 1;

/** The Pillar-5 document. */
export interface Pillar5Report {
  report: 'pillar5';
  version: number;
  title: string;
  period: { name: string; kind: string; start: string; end: string };
  asOf: string;
  national: KpiRow;
  institutionsServed: Omit<InstitutionsServed, 'ids'>;
  consolidation: Consolidation;
  allocations: Pick<AllocationPipeline, 'awardedGpuHours' | 'usedGpuHours' | 'exhaustedInstitutions'>;
  /** By the province the compute is in. */
  byProvince: KpiRow[];
  bySite: KpiRow[];
  /** By the province the institutions served are in. */
  byInstitutionProvince: KpiRow[];
  definitions: Record<string, string>;
}

/** Plain-language definitions printed with the report (XDMoD-aligned). */
export const DEFINITIONS: Record<string, string> = {
  capacity: 'GPUs registered under ncg by the end of the period; dense bf16 PFLOPS = Σ GPUs × per-GPU dense bf16 TFLOPS ÷ 1000.',
  gpuHoursAvailable: 'Σ GPUs × hours each pool was registered and its cluster up (not sampled offline or unreachable), up to the end of the period or now.',
  gpuHoursDelivered: 'Net GPU-hours in the metering ledger (measured, or estimated where not measured) of windows starting in the period.',
  utilisation: 'GPU-hours delivered ÷ GPU-hours available.',
  efficiency: 'GPU-hours-weighted mean DCGM GPU utilisation over the delivered GPU-hours that have DCGM data (coverage says how much).',
  waits: 'Submit → start of jobs that started in the period: mean, median (p50) and p90, nearest rank; per GPU-size class.',
  institutionsServed: 'Distinct institutions with at least 1 GPU-hour delivered in the period.',
  consolidation: 'Clusters federated under ncg (Slurm, Kubernetes, simulated) and their share of registered national GPU capacity.',
};

/** Build the Pillar-5 document from one period's KPI input. */
export function pillar5Report(input: KpiInput): Pillar5Report {
  const whole = kpiReport(input, 'national');
  const { ids: _ids, ...served } = whole.institutionsServed;
  return {
    report: 'pillar5',
    version: PILLAR5_VERSION,
    title: 'National AI Compute Grid — Pillar 5 KPIs',
    period: whole.period,
    asOf: whole.asOf,
    national: whole.national,
    institutionsServed: served,
    consolidation: whole.consolidation,
    allocations: { awardedGpuHours: whole.allocations.awardedGpuHours, usedGpuHours: whole.allocations.usedGpuHours, exhaustedInstitutions: whole.allocations.exhaustedInstitutions },
    byProvince: computeKpis(input, 'province').groups,
    bySite: computeKpis(input, 'site').groups,
    byInstitutionProvince: computeKpis(input, 'institutionProvince').groups,
    definitions: DEFINITIONS,
  };
}
