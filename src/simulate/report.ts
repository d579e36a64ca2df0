/**
 * The simulation report: one object with a fixed key order and rounded numbers, so the same input and seed
 * give the same JSON byte for byte. Wall-clock timing is not part of it (the CLI adds it only on request).
 */
import { effectiveShares } from './accounts.js';
import type { SimResult } from './engine.js';
import type { SimPolicy } from './policy-loader.js';
import { makeWindows, shareAttainment, utilisationSeries, windowWidthMs } from './report-windows.js';
import { waitReport, type WaitReport } from './report-waits.js';
import type { SimGrid } from './sim-grid.js';
import { BOUNDED_SLOWDOWN_THRESHOLD_SECONDS, round } from './stats.js';
import type { MappingSummary } from './workload-mapping.js';
import type { Workload } from './workload-types.js';

/** Definitions printed into every report so its numbers can be read without the code. */
export const DEFINITIONS = {
  wait: 'start of the run that completed minus submit, seconds; jobs that never started are excluded and counted as unfinished',
  percentiles: 'nearest rank: the smallest wait with at least p% of jobs at or below it',
  boundedSlowdown: `max(1, (wait + run) / max(run, ${BOUNDED_SLOWDOWN_THRESHOLD_SECONDS} s))`,
  sizeClasses: 'GPUs per job: 1, 2-8, 9-64, >64',
  utilisation: 'GPU-seconds allocated / (GPUs in available pools x window length)',
  windows: 'the workload submit span / 100 rounded up to a whole minute (min 1 min), from the first submit to the last finish; the same for every compared policy',
  demand: 'an institution has demand in a window when it has a pending or running job in it; its demand is the integral of the GPUs its outstanding jobs ask for',
  entitled: 'per window, the GPU-seconds delivered are divided by weighted max-min fairness among institutions with demand (weights = shares, capped at demand); summed over windows',
  attainment: 'attained GPU-hours / entitled GPU-hours (1 = its fair part of what was delivered while it was asking)',
  jainIndex: "Jain's index (sum x)^2 / (n sum x^2) over the attainments x of institutions that had demand: 1 = all equally served",
  lostGpuHours: 'GPU-hours of preempted runs, thrown away (jobs restart from the beginning)',
  budgetExhaustionEvents: 'first job of an institution held with reason BudgetExhausted in each budget period',
} as const;

/** Where the workload came from and how it was mapped. */
export interface WorkloadInfo {
  source: string;
  workload: Workload;
  mapping: MappingSummary;
  jobs: number;
}

/** Build the report of one or more runs of the same workload on the same grid. */
export function buildReport(info: WorkloadInfo, grid: SimGrid, runs: { policy: SimPolicy; result: SimResult }[]) {
  const first = runs[0]!.result;
  const jobs = first.jobs;
  const span = jobs.length > 0 ? jobs[jobs.length - 1]!.submitAt - jobs[0]!.submitAt : 0;
  const width = windowWidthMs(span);
  return {
    report: 'ncg-simulate',
    version: 1,
    workload: {
      source: info.source,
      format: info.workload.format,
      jobs: info.jobs,
      startUtc: new Date(info.workload.startEpochMs).toISOString(),
      skipped: sortedCounts(info.workload.skipped),
      malformedLinesSkipped: info.workload.malformed,
      mapping: info.mapping,
    },
    grid: {
      name: grid.name,
      pools: grid.pools.length,
      gpus: first.capacityGpus,
      institutions: grid.institutions.length,
    },
    windowSeconds: width / 1000,
    definitions: DEFINITIONS,
    runs: runs.map(({ policy, result }) => runReport(policy, result, grid, width)),
  };
}

/** The report type. */
export type Report = ReturnType<typeof buildReport>;

function runReport(policy: SimPolicy, r: SimResult, grid: SimGrid, width: number) {
  const rec = r.recorder;
  let lastEnd = r.start;
  let finished = 0;
  for (let i = 0; i < rec.endAt.length; i++) {
    const e = rec.endAt[i]!;
    if (!Number.isNaN(e)) {
      finished++;
      if (e > lastEnd) lastEnd = e;
    }
  }
  const windows = makeWindows(r.start, Math.max(lastEnd, r.start + 1), width);
  const util = utilisationSeries(rec, windows, r.capacityGpus);
  const shares = effectiveShares(grid, policy);
  const fair = shareAttainment(rec, windows, shares);
  const waits: WaitReport = waitReport(r);
  const delivered = fair.rows.reduce((s, x) => s + x.attainedGpuHours, 0);
  const makespan = (lastEnd - r.start) / 1000;
  const totalShares = [...shares.values()].reduce((s, v) => s + v, 0);
  return {
    policy: { name: policy.name, ...policy.scheduler, budgets: policy.budgets.mode, cycleIntervalSeconds: policy.cycleIntervalSeconds },
    summary: {
      jobs: r.jobs.length,
      finished,
      unfinished: r.jobs.length - finished,
      makespanSeconds: round(makespan, 0),
      gpuHoursDelivered: round(delivered, 1),
      utilisation: round(r.capacityGpus > 0 && makespan > 0 ? delivered / ((r.capacityGpus * makespan) / 3600) : 0, 4),
      waitSeconds: waits.waitSeconds,
      boundedSlowdown: waits.boundedSlowdown,
      jainIndex: round(fair.jain, 4),
      preemptions: rec.preemptions,
      lostGpuHours: round(rec.lostGpuSeconds / 3600, 2),
      budgetExhaustionEvents: rec.budgetEvents.length,
      cycles: rec.cycles,
      cycleInstants: rec.cycleInstants,
      skippedInstants: rec.skippedInstants,
    },
    waitByInstitution: waits.byInstitution,
    waitBySize: waits.bySize,
    shares: fair.rows.map((x) => ({
      institution: x.institutionId,
      shareTarget: round(totalShares > 0 ? (shares.get(x.institutionId) ?? 0) / totalShares : 0, 4),
      demandWindows: x.demandWindows,
      demandGpuHours: round(x.demandGpuHours, 2),
      entitledGpuHours: round(x.entitledGpuHours, 2),
      attainedGpuHours: round(x.attainedGpuHours, 2),
      attainment: round(x.attainment, 4),
    })),
    utilisation: util.map((u) => round(u, 4)),
    waitQuantiles: waits.quantiles,
    waitQuantilesBySize: waits.quantilesBySize,
    budgetEvents: rec.budgetEvents.map((e) => ({ institution: e.institutionId, period: e.period, atUtc: new Date(e.at).toISOString(), job: e.jobId })),
  };
}

/** The per-run part of a report. */
export type RunReport = ReturnType<typeof runReport>;

function sortedCounts(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The report as JSON text: two-space indent, trailing newline; byte-stable for the same input. */
export function reportJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
