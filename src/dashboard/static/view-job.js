// A job: its state timeline (every transition the store recorded) and, while it waits, why.
import { get } from './api.js';
import { dur, esc, html, kpi, num, raw, when } from './format.js';

/** Render a job page (asks for an id when none is given). */
export async function renderJob(el, { id, go }) {
  if (!id) {
    el.innerHTML = html`<h1>Find a job</h1><form class="toolbar" id="job-find"><div><label for="job-id">Job id</label><input id="job-id" required placeholder="j-…"></div><button class="btn" type="submit">Open</button></form>`;
    el.querySelector('#job-find').addEventListener('submit', (ev) => {
      ev.preventDefault();
      go(`#/job/${encodeURIComponent(el.querySelector('#job-id').value.trim())}`);
    });
    return 'Job';
  }
  const j = await get(`/jobs/${encodeURIComponent(id)}`);
  const waited = j.startedAt ? (Date.parse(j.startedAt) - Date.parse(j.submittedAt)) / 1000 : null;
  const events = (j.events ?? [])
    .map((e) => html`<li><span class="badge ${e.to}">${e.to}</span> <time datetime="${e.at}">${when(e.at)}</time>${e.reason ? ` — ${e.reason}` : ''}${e.data?.cluster ? ` · ${e.data.cluster}` : ''}</li>`)
    .join('');
  const pending = j.pending
    ? html`<div class="reason" role="note"><h2>Why is it pending? <span class="badge queued" data-kpi="pending-reason" data-value="${j.pending.reason}">${j.pending.reason}</span></h2><p>${j.pending.message}</p>
<p>${j.pending.position !== undefined ? `Position ${num(j.pending.position)} in the queue. ` : ''}${j.pending.estimatedStart ? `Estimated start ${when(j.pending.estimatedStart)}.` : ''}${j.pending.seenByCycle ? '' : ' The scheduler has not looked at it yet.'}</p></div>`
    : '';
  el.innerHTML = html`
<h1>${j.name} <span class="badge ${j.state}">${kpi('job-state', j.state, j.state)}</span></h1>
<p class="lede"><code>${j.id}</code> · ${j.institution} / ${j.project} · ${j.user}</p>
${raw(pending)}
<div class="tiles">
  <div class="tile"><div class="label">GPUs</div><div class="value">${num(j.spec.nodes * j.spec.gpusPerNode)}</div><div class="note">${num(j.spec.nodes)} × ${num(j.spec.gpusPerNode)} · ${(j.spec.gpuTypes ?? []).join(' or ')}</div></div>
  <div class="tile blue"><div class="label">Waited</div><div class="value">${dur(waited)}</div><div class="note">submitted ${when(j.submittedAt)}</div></div>
  <div class="tile violet"><div class="label">Where</div><div class="value">${j.cluster ?? '—'}</div><div class="note">${j.pool ?? 'not placed yet'}</div></div>
</div>
<section class="card" aria-labelledby="tl-h"><h2 id="tl-h">State timeline</h2><ol class="timeline">${raw(events)}</ol></section>`;
  return `Job ${esc(j.name)}`;
}
