/**
 * Text forms of report numbers shared by the HTML page and the CLI summary: durations in human units and
 * the side-by-side summary rows (one row per metric, one column per policy).
 */
import type { RunReport } from './report.js';

/** Seconds as a short human duration: 45 s, 12 min, 3.5 h, 2.1 d. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${round1(seconds / 60)} min`;
  if (seconds < 86400) return `${round1(seconds / 3600)} h`;
  return `${round1(seconds / 86400)} d`;
}

function round1(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

/** Summary rows: metric name, then the value under each policy. */
export function summaryRows(runs: RunReport[], timing?: { seconds: number; jobsPerSec: number }[]): string[][] {
  const row = (name: string, get: (r: RunReport) => string): string[] => [name, ...runs.map(get)];
  const rows = [
    row('jobs finished / unfinished', (r) => `${r.summary.finished} / ${r.summary.unfinished}`),
    row('makespan', (r) => formatDuration(r.summary.makespanSeconds)),
    row('utilisation', (r) => `${(r.summary.utilisation * 100).toFixed(1)}%`),
    row('GPU-hours delivered', (r) => r.summary.gpuHoursDelivered.toFixed(0)),
    row('wait mean', (r) => formatDuration(r.summary.waitSeconds.mean)),
    row('wait p50', (r) => formatDuration(r.summary.waitSeconds.p50)),
    row('wait p90', (r) => formatDuration(r.summary.waitSeconds.p90)),
    row('wait p99', (r) => formatDuration(r.summary.waitSeconds.p99)),
    row('bounded slowdown mean', (r) => r.summary.boundedSlowdown.mean.toFixed(2)),
    row('bounded slowdown p90', (r) => r.summary.boundedSlowdown.p90.toFixed(2)),
    row("Jain's index (share attainment)", (r) => r.summary.jainIndex.toFixed(4)),
    row('preemptions', (r) => String(r.summary.preemptions)),
    row('lost GPU-hours', (r) => r.summary.lostGpuHours.toFixed(1)),
    row('budget exhaustion events', (r) => String(r.summary.budgetExhaustionEvents)),
    row('scheduling cycles', (r) => String(r.summary.cycles)),
  ];
  if (timing) {
    rows.push(['simulation wall time', ...timing.map((t) => `${t.seconds.toFixed(2)} s`)]);
    rows.push(['simulated jobs / s', ...timing.map((t) => t.jobsPerSec.toFixed(0))]);
  }
  return rows;
}
