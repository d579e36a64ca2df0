/** KPI definitions (pure): rows in, numbers out. */
export * from './types.js';
export { computeKpis, kpiRow, SERVED_THRESHOLD_GPU_SECONDS, type GroupedKpis, type KpiRow } from './compute.js';
export { capacityKpis, availableSeconds, type CapacityKpis } from './capacity.js';
export { waitKpis, waitKpisFromStats, waitBucket, sizeClassOf, weightedPercentile, type WaitKpis, type WaitStats, type WaitStatRow } from './waits.js';
export { allocationPipeline, consolidation, institutionsServed, type AllocationLine, type AllocationPipeline, type Consolidation, type InstitutionsServed } from './national.js';
export { kpiReport, type KpiReport } from './report.js';
export { round, gpuHours, ratio } from './round.js';
