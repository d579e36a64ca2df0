// An institution: allocation awarded / used / remaining with projected exhaustion, use over time by
// project, jobs by state, and its pending jobs with the scheduler's reasons.
import { get } from './api.js';
import { barChart, lineChart } from './charts.js';
import { dur, esc, html, kpi, num, pct, raw, when } from './format.js';

/** Render an institution page (default: the signed-in user's) into `el`. */
export async function renderInstitution(el, { me, id }) {
  const instId = id || me.institutionId;
  const [d, queue] = await Promise.all([get(`/dashboard/institutions/${encodeURIComponent(instId)}`), get(`/queue?institution=${encodeURIComponent(instId)}&limit=50`)]);
  const projects = [...new Set(d.recent.points.map((p) => p.projectId))];
  const byT = new Map();
  for (const p of d.recent.points) byT.set(p.t, { ...(byT.get(p.t) ?? {}), [p.projectId]: p.gpuHours });
  const allocations = d.allocations
    .map((a) => {
      const used = a.awardedGpuHours > 0 ? Math.min(1, a.usedGpuHours / a.awardedGpuHours) : 0;
      return html`<tr><th scope="row">${a.allocationId}${a.projectId ? ` (${a.projectId})` : ''}</th><td>${a.kind}</td><td>${a.periodStart.slice(0, 10)} → ${a.periodEnd.slice(0, 10)}</td>
<td class="num">${kpi(`awarded-${a.allocationId}`, a.awardedGpuHours, num(a.awardedGpuHours))}</td><td class="num">${kpi(`used-${a.allocationId}`, a.usedGpuHours, num(a.usedGpuHours, 1))}</td>
<td class="num">${num(a.remainingGpuHours, 1)}</td><td><div class="meter" role="progressbar" aria-label="Share of the award used" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${Math.round(used * 100)}"><span data-w="${(used * 100).toFixed(1)}"></span></div></td>
<td>${a.exhausted ? raw('<span class="badge failed">exhausted</span>') : a.projectedExhaustionAt ? when(a.projectedExhaustionAt) : 'not at this rate'}</td></tr>`;
    })
    .join('');
  const states = Object.entries(d.jobsByState);
  const pending = queue.items
    .map((it) => html`<tr><th scope="row"><a href="#/job/${encodeURIComponent(it.id)}">${it.name || it.id}</a></th><td>${it.project}</td><td class="num">${num(it.nodes * it.gpusPerNode)} × ${it.gpuTypes.join(' or ')}</td><td><span class="badge queued">${it.pending.reason}</span></td><td>${it.pending.message}${it.pending.estimatedStart ? ` · estimated start ${when(it.pending.estimatedStart)}` : ''}</td></tr>`)
    .join('');
  el.innerHTML = html`
<h1>${d.institution.name}</h1>
<p class="lede">${d.institution.shortName} · ${d.institution.province} · KPIs for ${d.period} so far</p>
<div class="tiles">
  <div class="tile"><div class="label">GPU-hours ${d.period}</div><div class="value">${kpi('institution-gpu-hours', d.kpis.gpuHoursDelivered, num(d.kpis.gpuHoursDelivered, 1))}</div><div class="note">efficiency ${pct(d.kpis.efficiency)}</div></div>
  <div class="tile blue"><div class="label">Active users</div><div class="value">${num(d.kpis.activeUsers)}</div><div class="note">${num(d.kpis.activeProjects)} projects with use</div></div>
  <div class="tile amber"><div class="label">Pending jobs</div><div class="value">${kpi('institution-pending', queue.total, num(queue.total))}</div><div class="note">median wait ${dur(d.kpis.waits.p50Seconds)}</div></div>
  <div class="tile violet"><div class="label">Jobs finished</div><div class="value">${num(d.kpis.jobsByState.succeeded + d.kpis.jobsByState.failed + d.kpis.jobsByState.cancelled)}</div><div class="note">${num(d.kpis.jobsByState.succeeded)} succeeded · ${num(d.kpis.jobsByState.failed)} failed</div></div>
</div>
<div class="grid">
  <section class="card span-12" aria-labelledby="alloc-h"><h2 id="alloc-h">Allocations</h2>
  ${d.allocations.length ? raw(`<table><thead><tr><th scope="col">Award</th><th scope="col">Kind</th><th scope="col">Period</th><th scope="col" class="num">Awarded GPU-h</th><th scope="col" class="num">Used</th><th scope="col" class="num">Remaining</th><th scope="col">Used share</th><th scope="col">Projected exhaustion</th></tr></thead><tbody>${allocations}</tbody></table>`) : raw('<p class="empty">No current allocation.</p>')}</section>
  <section class="card span-7" aria-label="Use by project">${raw(lineChart({ caption: 'GPU-hours by project, last 6 hours', hint: `${d.recent.bucketMinutes}-minute steps`, points: [...byT].map(([t, values]) => ({ t, values })), series: projects, format: (v) => num(v, v < 1 ? 2 : 1) }))}</section>
  <section class="card span-5" aria-label="Jobs by state">${raw(barChart({ caption: 'Jobs by state', hint: 'all time', rows: states.map(([s, n]) => ({ label: s, values: { jobs: n } })), series: ['jobs'] }))}</section>
  <section class="card span-12" aria-labelledby="pending-h"><h2 id="pending-h">Pending jobs and why</h2>
  ${queue.items.length ? raw(`<table><thead><tr><th scope="col">Job</th><th scope="col">Project</th><th scope="col" class="num">GPUs</th><th scope="col">Reason</th><th scope="col">Explanation</th></tr></thead><tbody>${pending}</tbody></table>`) : raw('<p class="empty">No pending jobs.</p>')}</section>
</div>`;
  return esc(d.institution.shortName);
}
