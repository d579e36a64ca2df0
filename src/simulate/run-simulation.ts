/**
 * One simulate command, minus the terminal: map the workload onto the grid once, run every policy on it,
 * and build the report. The wall clock is read only through the optional `clock` (the CLI and the bench
 * pass performance.now) and only for the timing figures, which stay out of the deterministic report.
 */
import { DomainError } from '../domain/errors.js';
import { simulate, type SimProgress } from './engine.js';
import type { SimPolicy } from './policy-loader.js';
import { buildReport, type Report } from './report.js';
import type { SimGrid } from './sim-grid.js';
import { mapWorkload } from './workload-mapping.js';
import type { Workload } from './workload-types.js';

/** Inputs of a simulation run. */
export interface SimulationInput {
  /** Shown in the report (the workload file's name). */
  source: string;
  workload: Workload;
  grid: SimGrid;
  policies: SimPolicy[];
}

/** Hooks of a simulation run. */
export interface SimulationHooks {
  /** Milliseconds from an arbitrary origin, for jobs/sec only. */
  clock?: () => number;
  onProgress?: (policy: string, p: SimProgress) => void;
}

/** Wall-clock figures of one policy's run. */
export interface RunTiming {
  policy: string;
  jobs: number;
  seconds: number;
  jobsPerSec: number;
}

/** Run every policy on the workload; the report is deterministic, the timings are not. */
export function runSimulation(input: SimulationInput, hooks: SimulationHooks = {}): { report: Report; timings: RunTiming[] } {
  if (input.policies.length === 0) throw DomainError.invalid('no policy to simulate');
  for (const p of input.policies) checkPolicy(p, input.grid);
  const { jobs, summary } = mapWorkload(input.workload, input.grid);
  const timings: RunTiming[] = [];
  const runs = input.policies.map((policy) => {
    const t0 = hooks.clock?.() ?? 0;
    const onProgress = hooks.onProgress;
    const result = simulate(jobs, input.grid, policy, onProgress ? { onProgress: (p) => onProgress(policy.name, p) } : {});
    const seconds = ((hooks.clock?.() ?? 0) - t0) / 1000;
    timings.push({ policy: policy.name, jobs: jobs.length, seconds, jobsPerSec: seconds > 0 ? jobs.length / seconds : 0 });
    return { policy, result };
  });
  const report = buildReport({ source: input.source, workload: input.workload, mapping: summary, jobs: jobs.length }, input.grid, runs);
  return { report, timings };
}

function checkPolicy(policy: SimPolicy, grid: SimGrid): void {
  const known = new Set(grid.institutions.map((i) => i.id));
  const issues: { path: string; message: string }[] = [];
  for (const id of Object.keys(policy.shares)) if (!known.has(id)) issues.push({ path: `shares.${id}`, message: `unknown institution in grid ${grid.name}` });
  if (policy.budgets.mode === 'table') {
    for (const id of Object.keys(policy.budgets.institutions)) if (!known.has(id)) issues.push({ path: `budgets.institutions.${id}`, message: `unknown institution in grid ${grid.name}` });
  }
  if (issues.length > 0) throw DomainError.invalid(`policy ${policy.name}: invalid:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`, issues);
}
