/**
 * The Pillar-5 report as a printable, self-contained HTML page: no scripts, no external requests, styles
 * inline, bars drawn with CSS widths (they print), tables with captions and header scopes for screen readers.
 */
import type { KpiRow } from '../kpi/compute.js';
import type { Pillar5Report } from '../pillar5.js';

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const num = (n: number | null | undefined, digits = 0) => (n === null || n === undefined ? '—' : n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const pct = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${(n * 100).toLocaleString('en-GB', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} %`);
const dur = (s: number | null) => (s === null ? '—' : s < 120 ? `${Math.round(s)} s` : s < 7_200 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(1)} h`);

function bar(fraction: number | null, label: string): string {
  const w = Math.max(0, Math.min(1, fraction ?? 0)) * 100;
  return `<span class="bar" role="img" aria-label="${esc(label)}"><span style="width:${w.toFixed(1)}%"></span></span>`;
}

function tile(label: string, value: string, note = ''): string {
  return `<div class="tile"><div class="v">${esc(value)}</div><div class="l">${esc(label)}</div>${note ? `<div class="n">${esc(note)}</div>` : ''}</div>`;
}

function breakdown(caption: string, rows: readonly KpiRow[], capacity: boolean): string {
  const max = Math.max(1, ...rows.map((r) => r.gpuHoursDelivered));
  const head = capacity ? '<th scope="col">GPUs</th><th scope="col">PFLOPS</th><th scope="col">GPU-h available</th>' : '';
  const body = rows
    .map((r) => {
      const cap = capacity ? `<td>${num(r.capacity?.gpus)}</td><td>${num(r.capacity?.bf16Pflops, 1)}</td><td>${num(r.capacity?.gpuHoursAvailable)}</td>` : '';
      const util = capacity ? `<td>${pct(r.utilisation)}</td>` : '';
      return `<tr><th scope="row">${esc(r.label)}</th>${cap}<td class="barcell">${bar(r.gpuHoursDelivered / max, `${num(r.gpuHoursDelivered)} GPU-hours`)} ${num(r.gpuHoursDelivered)}</td>${util}<td>${pct(r.efficiency)}</td><td>${dur(r.waits.p50Seconds)}</td><td>${num(r.institutionsServed)}</td></tr>`;
    })
    .join('');
  return `<table><caption>${esc(caption)}</caption><thead><tr><th scope="col">${capacity ? 'Where' : 'Province'}</th>${head}<th scope="col">GPU-h delivered</th>${capacity ? '<th scope="col">Utilisation</th>' : ''}<th scope="col">Efficiency</th><th scope="col">Median wait</th><th scope="col">Institutions served</th></tr></thead><tbody>${body}</tbody></table>`;
}

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#14202b;margin:2rem auto;max-width:1100px;padding:0 1rem}
h1{font-size:1.7rem;margin:0}h2{font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:2px solid #0b6e4f;padding-bottom:.2rem}
.sub{color:#44515c;margin:.2rem 0 1.2rem}.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:.8rem}
.tile{border:1px solid #c9d3dc;border-radius:8px;padding:.7rem .9rem;break-inside:avoid}.tile .v{font-size:1.5rem;font-weight:700;color:#0b6e4f}
.tile .l{font-weight:600}.tile .n{color:#44515c;font-size:.85rem}table{border-collapse:collapse;width:100%;margin:.6rem 0 1.4rem;break-inside:auto}
caption{text-align:left;font-weight:700;padding:.3rem 0}th,td{border-bottom:1px solid #d8dee4;padding:.35rem .5rem;text-align:right;font-variant-numeric:tabular-nums}
th[scope=row],th:first-child{text-align:left}thead th{background:#eef3f1}.bar{display:inline-block;width:90px;height:.7rem;background:#e3e9ee;vertical-align:middle;border-radius:3px;overflow:hidden}
.bar>span{display:block;height:100%;background:#0b6e4f;-webkit-print-color-adjust:exact;print-color-adjust:exact}.barcell{white-space:nowrap}
.target{margin:.4rem 0}.target .bar{width:260px;height:1rem}dl{display:grid;grid-template-columns:14rem 1fr;gap:.3rem 1rem}dt{font-weight:600}dd{margin:0;color:#2c3a45}
@media print{body{margin:0;font-size:12px}h2{break-after:avoid}}`;

/** The printable HTML page of a Pillar-5 report. */
export function pillar5Html(doc: Pillar5Report): string {
  const n = doc.national;
  const c = doc.consolidation;
  const types = Object.entries(n.capacity?.gpusByType ?? {}).map(([t, g]) => `${t}: ${num(g)}`).join(' · ');
  const targets = doc.institutionsServed.targets
    .map((t) => `<div class="target">${bar(t.progress, `${doc.institutionsServed.served} of ${t.target}`)} <strong>${num(doc.institutionsServed.served)} of ${num(t.target)}</strong> ${t.met ? '— met' : `— ${pct(t.progress)} of the target`}</div>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(doc.title)} — ${esc(doc.period.name)}</title><style>${STYLE}</style></head><body><main>
<h1>${esc(doc.title)}</h1><p class="sub">Period <strong>${esc(doc.period.name)}</strong> (${esc(doc.period.start.slice(0, 10))} to ${esc(doc.period.end.slice(0, 10))}, end exclusive) · as of ${esc(doc.asOf.replace('T', ' ').slice(0, 16))} UTC</p>
<section aria-labelledby="h-cap"><h2 id="h-cap">National AI compute capacity</h2><div class="tiles">
${tile('GPUs', num(n.capacity?.gpus), types)}${tile('Dense bf16 PFLOPS', num(n.capacity?.bf16Pflops, 1))}${tile('GPU-hours available', num(n.capacity?.gpuHoursAvailable))}${tile('GPU-hours delivered', num(n.gpuHoursDelivered))}
${tile('Utilisation', pct(n.utilisation))}${tile('Efficiency (DCGM)', pct(n.efficiency), `coverage ${pct(n.efficiencyCoverage)}`)}</div></section>
<section aria-labelledby="h-con"><h2 id="h-con">Consolidation of HPC clusters</h2><div class="tiles">
${tile('Clusters federated', num(c.clustersFederated), Object.entries(c.clustersByKind).map(([k, v]) => `${k} ${v}`).join(' · '))}${tile('Share of national GPUs under ncg', pct(c.managedShareGpus), `${num(c.managedGpus)} of ${num(c.registeredNationalGpus)} GPUs`)}${tile('Share of national PFLOPS under ncg', pct(c.managedSharePflops))}</div></section>
<section aria-labelledby="h-inst"><h2 id="h-inst">Institutions with compute access</h2><p>${num(doc.institutionsServed.served)} of ${num(doc.institutionsServed.registered)} registered institutions received at least 1 GPU-hour.</p>${targets}</section>
<section aria-labelledby="h-use"><h2 id="h-use">Use and waits</h2><div class="tiles">
${tile('Jobs started', num(n.waits.jobs))}${tile('Median wait', dur(n.waits.p50Seconds), `mean ${dur(n.waits.meanSeconds)} · p90 ${dur(n.waits.p90Seconds)}`)}${tile('Jobs succeeded', num(n.jobsByState.succeeded), `failed ${num(n.jobsByState.failed)} · cancelled ${num(n.jobsByState.cancelled)}`)}${tile('Active users', num(n.activeUsers), `${num(n.activeProjects)} projects`)}
${tile('GPU-hours awarded', num(doc.allocations.awardedGpuHours), `used ${num(doc.allocations.usedGpuHours)} · ${doc.allocations.exhaustedInstitutions.length} exhausted`)}</div></section>
<section aria-labelledby="h-prov"><h2 id="h-prov">By province</h2>${breakdown('Where the compute is', doc.byProvince, true)}${breakdown('Where the institutions served are', doc.byInstitutionProvince, false)}</section>
<section aria-labelledby="h-site"><h2 id="h-site">By site</h2>${breakdown('Sites of the national grid', doc.bySite, true)}</section>
<section aria-labelledby="h-def"><h2 id="h-def">Definitions</h2><dl>${Object.entries(doc.definitions).map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl></section>
</main></body></html>`;
}
