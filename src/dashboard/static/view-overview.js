// The national overview: capacity, GPUs in use now, the queue, recent utilisation, institutions served
// against the 100/150 targets, and GPU-hours by province — all from GET /v1/dashboard/overview.
import { get } from './api.js';
import { barChart, lineChart } from './charts.js';
import { dur, html, kpi, num, pct, raw } from './format.js';

function tile(label, value, note, tone = '') {
  return html`<div class="tile ${tone}"><div class="label">${label}</div><div class="value">${value}</div><div class="note">${note}</div></div>`;
}

/** Render the overview into `el`; returns the page title. */
export async function renderOverview(el) {
  const o = await get('/dashboard/overview');
  const types = Object.keys(o.capacity.byType);
  const inUsePct = o.capacity.gpus ? o.inUse.gpus / o.capacity.gpus : 0;
  const served = o.institutionsServed;
  const targets = served.targets
    .map((t) => html`<div class="target"><span>Target ${num(t.target)}</span><div class="meter" role="progressbar" aria-label="Institutions served against the target of ${t.target}" aria-valuemin="0" aria-valuemax="${t.target}" aria-valuenow="${Math.min(served.served, t.target)}"><span data-w="${Math.min(100, t.progress * 100).toFixed(1)}"></span></div><strong>${t.met ? 'met' : pct(t.progress, 0)}</strong></div>`)
    .join('');
  el.innerHTML = html`
<h1>National overview</h1>
<p class="lede">The national AI compute grid as of ${o.asOf.slice(0, 16).replace('T', ' ')} UTC · KPIs for ${o.period} so far.</p>
<div class="tiles">
  ${raw(tile('National capacity', kpi('capacity-gpus', o.capacity.gpus, num(o.capacity.gpus)), raw(html`GPUs · ${kpi('capacity-pflops', o.capacity.bf16Pflops, num(o.capacity.bf16Pflops, 1))} dense bf16 PFLOPS`)))}
  ${raw(tile('GPUs in use now', kpi('in-use-gpus', o.inUse.gpus, num(o.inUse.gpus)), raw(html`${kpi('in-use-jobs', o.inUse.jobs, num(o.inUse.jobs))} jobs running · ${pct(inUsePct)}<div class="meter" aria-hidden="true"><span data-w="${(inUsePct * 100).toFixed(1)}"></span></div>`), 'blue'))}
  ${raw(tile('Queue', kpi('queue-jobs', o.queue.jobs, num(o.queue.jobs)), raw(html`jobs waiting for ${kpi('queue-gpus', o.queue.gpus, num(o.queue.gpus))} GPUs`), 'amber'))}
  ${raw(tile('Institutions served', kpi('institutions-served', served.served, num(served.served)), raw(html`of ${num(served.registered)} registered · ≥ 1 GPU-hour in ${o.period}`), 'violet'))}
  ${raw(tile(`GPU-hours ${o.period}`, kpi('gpu-hours-delivered', o.national.gpuHoursDelivered, num(o.national.gpuHoursDelivered)), raw(html`utilisation ${kpi('utilisation', o.national.utilisation, pct(o.national.utilisation))} · efficiency ${pct(o.national.efficiency)}`)))}
  ${raw(tile('Median wait', kpi('wait-p50', o.national.waits.p50Seconds, dur(o.national.waits.p50Seconds)), raw(html`p90 ${dur(o.national.waits.p90Seconds)} · ${num(o.national.waits.jobs)} jobs started`), 'blue'))}
</div>
<div class="grid">
  <section class="card span-7" aria-label="Utilisation over time">${raw(lineChart({
    caption: 'GPU utilisation, last 6 hours', hint: `${o.recent.bucketMinutes}-minute steps, from the metering ledger`,
    points: o.recent.points.map((p) => ({ t: p.t, values: { utilisation: p.utilisation } })), series: ['utilisation'], format: (v) => pct(v, 0), yMax: Math.max(0.05, ...o.recent.points.map((p) => p.utilisation * 1.15)),
  }))}</section>
  <section class="card span-5" aria-labelledby="targets-h"><h2 id="targets-h">Institutions with compute access</h2>
    <p><strong>${num(served.served)}</strong> institutions received at least one GPU-hour in ${o.period}, against the policy’s targets:</p>${raw(targets)}
  </section>
  <section class="card span-6" aria-label="Capacity by site">${raw(barChart({
    caption: 'Capacity by site and GPU type', hint: 'GPUs',
    rows: o.capacity.bySite.map((s) => ({ label: s.name, values: s.gpusByType })), series: types,
  }))}</section>
  <section class="card span-6" aria-label="Queue by GPU type">${raw(barChart({
    caption: 'Queue depth by GPU type', hint: 'GPUs requested by waiting jobs',
    rows: o.queue.byType.map((q) => ({ label: q.gpuType.replaceAll('|', ' or '), values: { GPUs: q.gpus } })), series: ['GPUs'],
  }))}</section>
  <section class="card span-6" aria-label="GPU-hours by province">${raw(barChart({
    caption: `GPU-hours by province, ${o.period}`, hint: 'by the province of the institution served',
    rows: o.byInstitutionProvince.map((p) => ({ label: p.province, values: { 'GPU-hours': p.gpuHours } })), series: ['GPU-hours'],
  }))}</section>
  <section class="card span-6" aria-label="GPUs in use by type">${raw(barChart({
    caption: 'GPUs in use now by type', hint: 'of the capacity of each type',
    rows: types.map((t) => ({ label: t, values: { 'in use': o.inUse.byType[t] ?? 0, idle: Math.max(0, o.capacity.byType[t] - (o.inUse.byType[t] ?? 0)) } })), series: ['in use', 'idle'], colours: ['#0b6e4f', '#c9d3dc'],
  }))}</section>
</div>`;
  return 'National overview';
}
