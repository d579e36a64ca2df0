/**
 * Mapping trace-level jobs onto a grid (rules stated here and echoed in the report):
 * - institution: the record's own (CSV, synthetic; must exist in the grid), else the grid file's
 *   `workload.institutionTable[group or user]`, else FNV-1a(group or user) modulo the institution count over
 *   institutions sorted by id — stable, and roughly even;
 * - user: one project per institution (`<institution>/sim`) with the trace users as its user leaves;
 * - size: processors × gpusPerProcessor (default 1; `auto` = grid GPUs ÷ trace MaxProcs), rounded, ≥ 1;
 * - gang: up to the largest node size G of a fitting pool a job is 1 node; above, ceil(gpus / G) nodes × G
 *   (whole nodes, as clusters allocate them), clamped to the largest such pool;
 * - GPU type: a type no available pool has is relaxed to `any` (counted);
 * - time: submit = trace start + submit × timeScale (default `auto`: for processor traces
 *   MaxProcs × gpusPerProcessor ÷ grid GPUs, so the trace's offered load is kept on a grid of another size;
 *   1 for GPU traces); walltime = requested, else run time; the job runs for min(run time, walltime).
 */
import { DomainError } from '../domain/errors.js';
import { userAccountId } from '../scheduler/types.js';
import { hashString } from './prng.js';
import { availableGpus, type SimGrid, type SimPool } from './sim-grid.js';
import type { Workload } from './workload-types.js';

/** A job ready for the simulator. */
export interface SimJob {
  /** Position in submit order; events refer to jobs by index. */
  index: number;
  /** The id the core sees: `j` + the zero-padded index, so id tie-breaks follow submit order. */
  id: string;
  /** The record's id in its source (SWF job number, CSV line, generator index). */
  sourceId: string;
  institutionId: string;
  projectId: string;
  userId: string;
  /** Account-tree leaf id of its user. */
  leafId: string;
  submitAt: number;
  /** How long it runs once started: min(trace run time, walltime), seconds. */
  runSeconds: number;
  walltimeSeconds: number;
  nodes: number;
  gpusPerNode: number;
  gpus: number;
  gpuTypes: string[];
}

/** What the mapping did, for the report. */
export interface MappingSummary {
  gpusPerProcessor: number | null;
  timeScale: number;
  institutionBy: 'group' | 'user' | 'record';
  clampedToPool: number;
  gpuTypeRelaxed: number;
  cutAtWalltime: number;
}

/** The project id the simulator gives an institution's jobs. */
export function simProjectId(institutionId: string): string {
  return `${institutionId}/sim`;
}

/** Map a parsed workload onto a grid, in submit order (ties by source order). */
export function mapWorkload(workload: Workload, grid: SimGrid): { jobs: SimJob[]; summary: MappingSummary } {
  const pools = grid.pools.filter((p) => p.available);
  if (pools.length === 0) throw DomainError.invalid(`grid ${grid.name}: no available pools`);
  const insts = grid.institutions;
  const known = new Set(insts.map((i) => i.id));
  const types = new Set(pools.map((p) => p.gpuType));
  const { mapping } = grid;
  let factor: number | null = null;
  let timeScale = mapping.timeScale === 'auto' ? 1 : mapping.timeScale;
  if (workload.jobs.some((j) => j.sizeUnit === 'processors')) {
    let maxProcs = workload.maxProcessors ?? 0;
    if (!maxProcs) for (const j of workload.jobs) maxProcs = Math.max(maxProcs, j.size);
    factor = mapping.gpusPerProcessor === 'auto' ? availableGpus(grid) / maxProcs : mapping.gpusPerProcessor;
    if (mapping.timeScale === 'auto') timeScale = (maxProcs * factor) / availableGpus(grid);
  }
  const summary: MappingSummary = {
    gpusPerProcessor: factor === null ? null : round3(factor), timeScale: round3(timeScale),
    institutionBy: 'record', clampedToPool: 0, gpuTypeRelaxed: 0, cutAtWalltime: 0,
  };
  const order = workload.jobs.map((j, i) => ({ j, i })).sort((a, b) => a.j.submitSeconds - b.j.submitSeconds || a.i - b.i);
  const jobs: SimJob[] = order.map(({ j }, index) => {
    let institutionId = j.institution;
    if (institutionId === undefined) {
      summary.institutionBy = mapping.institutionBy;
      const key = (mapping.institutionBy === 'group' ? j.group : j.user) ?? 'unknown';
      institutionId = mapping.institutionTable[key] ?? insts[hashString(key) % insts.length]!.id;
    } else if (!known.has(institutionId)) {
      throw DomainError.invalid(`workload job ${j.id}: institution ${JSON.stringify(institutionId)} is not in grid ${grid.name}`);
    }
    let gpuType = j.gpuType ?? 'any';
    if (gpuType !== 'any' && !types.has(gpuType)) {
      summary.gpuTypeRelaxed++;
      gpuType = 'any';
    }
    const gpus = j.sizeUnit === 'processors' ? Math.max(1, Math.round(j.size * factor!)) : j.size;
    const shape = gangShape(gpus, j.nodes, gpuType === 'any' ? pools : pools.filter((p) => p.gpuType === gpuType));
    if (shape.clamped) summary.clampedToPool++;
    const walltime = Math.max(1, Math.round(j.walltimeSeconds ?? j.runSeconds));
    if (j.runSeconds > walltime) summary.cutAtWalltime++;
    const projectId = simProjectId(institutionId);
    const userId = j.user ?? `${institutionId}-user`;
    return {
      index,
      id: `j${String(index + 1).padStart(7, '0')}`,
      sourceId: j.id,
      institutionId,
      projectId,
      userId,
      leafId: userAccountId(projectId, userId),
      submitAt: workload.startEpochMs + Math.round(j.submitSeconds * timeScale * 1000),
      runSeconds: Math.min(j.runSeconds, walltime),
      walltimeSeconds: walltime,
      nodes: shape.nodes,
      gpusPerNode: shape.gpusPerNode,
      gpus: shape.nodes * shape.gpusPerNode,
      gpuTypes: [gpuType],
    };
  });
  return { jobs, summary };
}

/** nodes × gpusPerNode for a job of `gpus` GPUs on the given pools (see the file comment). */
export function gangShape(gpus: number, nodes: number | undefined, pools: SimPool[]): { nodes: number; gpusPerNode: number; clamped: boolean } {
  if (nodes !== undefined) return fit(nodes, gpus / nodes, pools);
  const nodeSize = Math.max(...pools.map((p) => p.gpusPerNode));
  if (gpus <= nodeSize) return { nodes: 1, gpusPerNode: gpus, clamped: false };
  return fit(Math.ceil(gpus / nodeSize), nodeSize, pools);
}

function fit(nodes: number, gpusPerNode: number, pools: SimPool[]): { nodes: number; gpusPerNode: number; clamped: boolean } {
  const fitting = pools.filter((p) => p.gpusPerNode >= gpusPerNode);
  if (fitting.length === 0) {
    // No node that large: spread over more, smaller nodes of the largest node size.
    const g = Math.max(...pools.map((p) => p.gpusPerNode));
    return fit(Math.ceil((nodes * gpusPerNode) / g), g, pools);
  }
  const maxNodes = Math.max(...fitting.map((p) => p.nodes));
  return nodes <= maxNodes ? { nodes, gpusPerNode, clamped: false } : { nodes: maxNodes, gpusPerNode, clamped: true };
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
