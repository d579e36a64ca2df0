/**
 * The HTML report: one self-contained page (inline CSS and SVG, no scripts, no network) that puts every
 * compared policy side by side, with a short "how to read this" under each section.
 */
import type { Report, RunReport } from './report.js';
import { barChart, esc, lineChart } from './svg-charts.js';
import { SIZE_CLASSES } from './report-waits.js';
import { formatDuration, summaryRows } from './report-tables.js';

/** Wall-clock figures, shown only when the CLI passes them (they differ run to run). */
export interface Timing {
  seconds: number;
  jobsPerSec: number;
}

/** Render the report as a complete HTML document. */
export function reportHtml(report: Report, timing?: Timing[]): string {
  const runs = report.runs;
  const names = runs.map((r) => r.policy.name);
  // Hours on the time axis for runs shorter than three days, days beyond.
  const longest = Math.max(...runs.map((r) => r.utilisation.length)) * report.windowSeconds;
  const unit = longest > 3 * 86400 ? { name: 'days', seconds: 86400 } : { name: 'hours', seconds: 3600 };
  const step = report.windowSeconds / unit.seconds;
  const sections = [
    section('Summary', 'Each column is one policy run on the same workload and grid. Lower waits and slowdowns are better; utilisation is the share of available GPU time that was allocated; Jain\'s index is 1 when every institution got its fair part of what was delivered while it was asking.', table(['metric', ...names], summaryRows(runs, timing))),
    section('Utilisation over time', `Allocated ÷ available GPUs, averaged over windows of ${formatDuration(report.windowSeconds)}. A line below 1 while jobs wait means capacity idled (fragmentation, reservations or blocked gangs).`,
      lineChart({ title: 'GPU utilisation', xLabel: `${unit.name} since the first submit`, yLabel: 'allocated / available', yRange: [0, 1], xFormat: (x) => String(Math.round(x * 10) / 10), yFormat: (y) => `${Math.round(y * 100)}%`, series: runs.map((r) => ({ name: r.policy.name, points: r.utilisation.map((u, i) => [(i + 0.5) * step, u] as [number, number]) })) })),
    section('Wait time distribution', 'Cumulative share of finished jobs (y) that waited at most x. Curves further up and left are better; the horizontal gap between two curves at a given height is the difference in that percentile. The x axis is logarithmic.',
      lineChart({ title: 'Wait CDF, all jobs', xLabel: 'wait (log scale)', yLabel: 'share of jobs', logX: true, step: true, yRange: [0, 1], xFormat: formatDuration, yFormat: (y) => `${Math.round(y * 100)}%`, series: runs.map((r) => ({ name: r.policy.name, points: r.waitQuantiles.map((w, p) => [w, p / 100] as [number, number]) })) })
      + sizeCdfs(runs)
      + table(['GPU-size class', 'policy', 'jobs', 'mean', 'p50', 'p90', 'p99'],
        SIZE_CLASSES.flatMap((s, i) => runs.map((r) => { const w = r.waitBySize[i]!; return [`${s.label} GPU${s.label === '1' ? '' : 's'}`, r.policy.name, String(w.count), formatDuration(w.mean), formatDuration(w.p50), formatDuration(w.p90), formatDuration(w.p99)]; })))),
    section('Share target vs attained', 'Share target is an institution\'s shares over all shares; attained is its part of all GPU-hours delivered. Attainment compares attained GPU-hours with what weighted max-min fairness would have given it in the windows where it had demand (capped at that demand), so an institution that asked for little and got it all scores 1. The chart shows the 15 institutions with the most demand.',
      shareSection(runs)),
    section('Waits per institution', 'Finished jobs and their mean and 90th-percentile waits per institution, the institutions with the most jobs first (up to 40 rows; every institution is in the JSON report).', institutionTable(runs)),
    section('Preemptions and budgets', 'Preempted jobs restart from the beginning, so their GPU-hours so far are lost. A budget exhaustion event is the first job of an institution held for budget in a budget period.', budgetSection(runs)),
    section('Definitions', 'How every number on this page is computed.', `<dl>${Object.entries(report.definitions).map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`),
  ];
  const w = report.workload;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ncg simulate — ${esc(w.source)}</title><style>${CSS}</style></head><body>`
    + `<h1>What-if simulation: ${esc(names.join(' vs '))}</h1>`
    + `<p class="lead">Workload <b>${esc(w.source)}</b> (${esc(w.format)}, ${w.jobs} jobs from ${esc(w.startUtc)}) on grid <b>${esc(report.grid.name)}</b> (${report.grid.gpus} GPUs in ${report.grid.pools} pools, ${report.grid.institutions} institutions). `
    + `Mapping: ${esc(JSON.stringify(w.mapping))}. Skipped records: ${esc(JSON.stringify(w.skipped))}; malformed lines skipped: ${w.malformedLinesSkipped}.</p>`
    + sections.join('') + '</body></html>\n';
}

function section(title: string, howTo: string, body: string): string {
  return `<section><h2>${esc(title)}</h2><p class="how"><b>How to read this:</b> ${esc(howTo)}</p>${body}</section>`;
}

function table(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th>${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`).join('')}</tbody></table>`;
}

function sizeCdfs(runs: RunReport[]): string {
  return `<div class="grid">${SIZE_CLASSES.map((s, i) => (runs[0]!.waitBySize[i]!.count === 0 ? '' : lineChart({
    title: `Wait CDF, ${s.label} GPU jobs`, xLabel: 'wait (log scale)', yLabel: 'share of jobs', logX: true, step: true, yRange: [0, 1], xFormat: formatDuration, yFormat: (y) => `${Math.round(y * 100)}%`,
    series: runs.filter((r) => r.waitBySize[i]!.count > 0).map((r) => ({ name: r.policy.name, points: r.waitQuantilesBySize[i]!.quantiles.map((w, p) => [w, p / 100] as [number, number]) })),
  }))).join('')}</div>`;
}

function shareSection(runs: RunReport[]): string {
  const first = runs[0]!;
  const top = [...first.shares].sort((a, b) => b.demandGpuHours - a.demandGpuHours || (a.institution < b.institution ? -1 : 1)).slice(0, 15).map((s) => s.institution);
  const attainedShare = (r: RunReport, id: string): number => {
    const total = r.shares.reduce((s, x) => s + x.attainedGpuHours, 0);
    return total > 0 ? (r.shares.find((x) => x.institution === id)?.attainedGpuHours ?? 0) / total : 0;
  };
  const chart = barChart({
    title: 'Share target vs attained share of delivered GPU-hours', xLabel: 'institution', yLabel: 'fraction of GPU-hours', categories: top, yFormat: (y) => `${Math.round(y * 1000) / 10}%`,
    groups: [{ name: 'share target', values: top.map((id) => first.shares.find((x) => x.institution === id)?.shareTarget ?? 0) }, ...runs.map((r) => ({ name: `attained (${r.policy.name})`, values: top.map((id) => attainedShare(r, id)) }))],
  });
  const rows = top.flatMap((id) => runs.map((r) => {
    const x = r.shares.find((s) => s.institution === id);
    return [id, r.policy.name, (x?.shareTarget ?? 0).toFixed(4), String(x?.demandWindows ?? 0), (x?.demandGpuHours ?? 0).toFixed(1), (x?.entitledGpuHours ?? 0).toFixed(1), (x?.attainedGpuHours ?? 0).toFixed(1), (x?.attainment ?? 1).toFixed(3)];
  }));
  const head = ['institution', 'policy', 'share target', 'windows with demand', 'demand GPU-h', 'entitled GPU-h', 'attained GPU-h', 'attainment'];
  return chart + table(head, rows) + `<p>Jain's index over attainment: ${runs.map((r) => `<b>${esc(r.policy.name)}</b> ${r.summary.jainIndex}`).join(', ')}.</p>`;
}

function institutionTable(runs: RunReport[]): string {
  const first = runs[0]!;
  const ids = [...first.waitByInstitution].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1)).slice(0, 40).map((w) => w.key);
  const head = ['institution', 'jobs', ...runs.flatMap((r) => [`mean (${r.policy.name})`, `p90 (${r.policy.name})`])];
  return table(head, ids.map((id) => [id, String(first.waitByInstitution.find((w) => w.key === id)?.count ?? 0), ...runs.flatMap((r) => {
    const w = r.waitByInstitution.find((x) => x.key === id);
    return w ? [formatDuration(w.mean), formatDuration(w.p90)] : ['', ''];
  })]));
}

function budgetSection(runs: RunReport[]): string {
  const rows = runs.map((r) => [r.policy.name, String(r.summary.preemptions), r.summary.lostGpuHours.toFixed(2), String(r.summary.budgetExhaustionEvents), r.budgetEvents.slice(0, 5).map((e) => `${e.institution} @ ${e.atUtc}`).join('; ')]);
  return table(['policy', 'preemptions', 'lost GPU-hours', 'budget exhaustion events', 'first events'], rows);
}

const CSS = `body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
.lead{color:#444}.how{background:#f4f7fb;border-left:3px solid #0072B2;padding:.5em .8em;font-size:.92em}
table{border-collapse:collapse;margin:.8em 0;font-size:.85em}th,td{border:1px solid #ddd;padding:.25em .5em;text-align:right}
thead th{background:#f0f0f0;text-align:center}tbody th{text-align:left;font-weight:normal}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:.5em}.grid svg{width:100%;height:auto}
svg{max-width:100%;height:auto}dt{font-weight:bold;margin-top:.5em}dd{margin-left:1em}`;
