/**
 * Capacity (XDMoD "resource" KPIs): GPUs by type, dense bf16 PFLOPS, and GPU-hours available.
 *
 * "Up" is defined from what ncg knows: a pool is available from the moment its cluster and the pool were
 * registered, until the end of the period or the grid's `now` (hours not yet lived are not available),
 * minus the time its cluster was *seen down* — health samples (every few minutes) that found it offline in
 * the store or unreachable through its adapter. When ncg itself was not running nothing was sampled, and
 * the cluster counts as up: ncg's own outage is not the cluster's.
 */
import type { ClusterRow, DownRow, KpiInput, PoolRow } from './types.js';
import { round } from './round.js';

/** Capacity of a group of pools over the period. */
export interface CapacityKpis {
  gpus: number;
  gpusByType: Record<string, number>;
  /** Dense bf16 PFLOPS (Σ GPUs × per-GPU TFLOPS ÷ 1000). */
  bf16Pflops: number;
  gpuHoursAvailable: number;
}

/** Pools counted in the period: registered before it ends. */
export function poolsInPeriod(input: KpiInput): PoolRow[] {
  return input.pools.filter((p) => p.registeredAt < input.period.end);
}

/** Seconds pool `p` was available in the period (see the module comment). */
export function availableSeconds(input: KpiInput, p: PoolRow, cluster: ClusterRow | undefined, down: ReadonlyMap<string, number>): number {
  const from = Math.max(input.period.start, p.registeredAt, cluster?.registeredAt ?? p.registeredAt);
  const to = Math.min(input.period.end, input.now);
  const lived = Math.max(0, to - from) / 1000;
  return Math.max(0, lived - Math.min(lived, down.get(p.clusterId) ?? 0));
}

/** Down seconds by cluster. */
export function downByCluster(rows: readonly DownRow[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(r.clusterId, (out.get(r.clusterId) ?? 0) + r.seconds);
  return out;
}

/** Capacity KPIs of `pools` (already narrowed to one group). */
export function capacityKpis(input: KpiInput, pools: readonly PoolRow[]): CapacityKpis {
  const clusters = new Map(input.clusters.map((c) => [c.id, c]));
  const down = downByCluster(input.down);
  const gpusByType: Record<string, number> = {};
  let gpus = 0;
  let tflops = 0;
  let gpuSeconds = 0;
  for (const p of pools) {
    gpus += p.gpus;
    gpusByType[p.gpuType] = (gpusByType[p.gpuType] ?? 0) + p.gpus;
    tflops += p.gpus * p.bf16Tflops;
    gpuSeconds += p.gpus * availableSeconds(input, p, clusters.get(p.clusterId), down);
  }
  return { gpus, gpusByType: sortedRecord(gpusByType), bf16Pflops: round(tflops / 1000, 3), gpuHoursAvailable: round(gpuSeconds / 3600, 3) };
}

/** A record with its keys in order (stable JSON, stable CSV columns). */
export function sortedRecord<T>(r: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
