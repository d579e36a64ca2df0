/**
 * The grid a simulation runs on: pools of nodes, institutions with shares, allocations, and how trace
 * records map onto it. Built from the embedded national seed or from an inline grid file (grid-loader.ts).
 */
import type { BudgetKind } from '../domain/types.js';
import type { GridSeed } from '../seed/types.js';

/** One pool of identical nodes. */
export interface SimPool {
  clusterId: string;
  poolId: string;
  siteId: string;
  gpuType: string;
  nodes: number;
  gpusPerNode: number;
  /** False for draining or offline clusters: their GPUs are neither usable nor counted as available. */
  available: boolean;
}

/** An institution and its fair-share weight. */
export interface SimInstitution {
  id: string;
  name: string;
  shares: number;
}

/** An institution's award for one budget period. */
export interface SimAllocation {
  institutionId: string;
  gpuHours: number;
  kind: BudgetKind;
  gracePct: number;
  maxConcurrentGpus?: number;
  mayBorrow: boolean;
}

/** How trace records become grid jobs (see workload-mapping.ts for the rules). */
export interface WorkloadMapping {
  /** Which SWF field picks the institution. */
  institutionBy: 'group' | 'user';
  /** Explicit group/user → institution id; unlisted keys are hashed (FNV-1a) modulo the institution count. */
  institutionTable: Record<string, string>;
  /** GPUs per trace processor, or `auto`: grid GPUs ÷ the trace's MaxProcs (keeps the load by growing jobs). */
  gpusPerProcessor: number | 'auto';
  /**
   * Multiply submit times by this (< 1 compresses the trace and raises the load), or `auto`: for processor
   * traces, (trace MaxProcs × gpusPerProcessor) ÷ grid GPUs, which keeps the trace's offered load on a grid
   * of another size while job sizes and run times stay as recorded; 1 for GPU traces.
   */
  timeScale: number | 'auto';
}

/** A complete simulated grid. */
export interface SimGrid {
  name: string;
  pools: SimPool[];
  /** Sorted by id (the hash mapping depends on the order). */
  institutions: SimInstitution[];
  allocations: SimAllocation[];
  /** Length of a budget period; budgets reset at each period boundary from the simulation start. */
  budgetPeriodSeconds: number;
  mapping: WorkloadMapping;
}

/** Default mapping: groups to institutions by hash, one GPU per processor, time scaled to keep the load. */
export const DEFAULT_MAPPING: WorkloadMapping = { institutionBy: 'group', institutionTable: {}, gpusPerProcessor: 1, timeScale: 'auto' };

/** Total GPUs in available pools. */
export function availableGpus(grid: SimGrid): number {
  let n = 0;
  for (const p of grid.pools) if (p.available) n += p.nodes * p.gpusPerNode;
  return n;
}

/** Turn a grid seed (the embedded national grid) into a simulated grid. */
export function gridFromSeed(name: string, seed: GridSeed): SimGrid {
  const siteOf = new Map(seed.clusters.map((c) => [c.id, c]));
  const pools: SimPool[] = seed.pools.map((p) => {
    const cluster = siteOf.get(p.clusterId);
    return {
      clusterId: p.clusterId,
      poolId: p.id,
      siteId: cluster?.siteId ?? 'unknown',
      gpuType: p.gpuType,
      nodes: p.nodes,
      gpusPerNode: p.gpusPerNode,
      available: cluster?.state === 'active',
    };
  });
  // Institution-level allocations only: the simulator has one project per institution.
  const allocs = seed.allocations.filter((a) => a.projectId === undefined);
  const first = allocs[0];
  return {
    name,
    pools,
    institutions: seed.institutions.map((i) => ({ id: i.id, name: i.shortName || i.name, shares: i.shares })).sort(byId),
    allocations: allocs.map((a) => ({
      institutionId: a.institutionId,
      gpuHours: a.gpuHours,
      kind: a.kind,
      gracePct: a.gracePct,
      maxConcurrentGpus: a.maxConcurrentGpus,
      mayBorrow: a.mayBorrow,
    })),
    budgetPeriodSeconds: first ? Math.max(1, Math.round((first.periodEnd - first.periodStart) / 1000)) : 365 * 86400,
    mapping: { ...DEFAULT_MAPPING },
  };
}

/** Compare by id (ASCII order, locale-independent). */
export function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
