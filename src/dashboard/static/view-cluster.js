// A cluster, for CoE operators: pools with nodes up/down and GPUs allocated, and its health over the last
// day from the reports sampler. Without an id: a picker of every cluster.
import { get } from './api.js';
import { barChart, lineChart } from './charts.js';
import { html, kpi, num, raw } from './format.js';

/** Render a cluster page (or the cluster list) into `el`. */
export async function renderCluster(el, { id }) {
  if (!id) {
    const { items } = await get('/clusters');
    el.innerHTML = html`<h1>Clusters</h1><p class="lede">${num(items.length)} clusters federated under ncg.</p>
<div class="card"><table><thead><tr><th scope="col">Cluster</th><th scope="col">Site</th><th scope="col">Kind</th><th scope="col">State</th><th scope="col" class="num">GPUs</th><th scope="col" class="num">Allocated</th></tr></thead><tbody>${items.map((c) => raw(html`<tr><th scope="row"><a href="#/cluster/${encodeURIComponent(c.id)}">${c.name}</a></th><td>${c.site.name}</td><td>${c.kind}</td><td><span class="badge ${c.reachable ? c.state : 'down'}">${c.reachable ? c.state : 'unreachable'}</span></td><td class="num">${num(c.totalGpus)}</td><td class="num">${num(c.totalGpus - c.freeGpus)}</td></tr>`))}</tbody></table></div>`;
    return 'Clusters';
  }
  const d = await get(`/dashboard/clusters/${encodeURIComponent(id)}`);
  const c = d.cluster;
  const nodes = c.pools.reduce((s, p) => s + p.nodes, 0);
  const healthy = c.pools.reduce((s, p) => s + p.healthyNodes, 0);
  el.innerHTML = html`
<h1>${c.name} <span class="badge ${c.reachable ? c.state : 'down'}">${c.reachable ? c.state : 'unreachable'}</span></h1>
<p class="lede">${c.site.name} · ${c.site.province} · ${c.kind}${c.message ? ` · ${c.message}` : ''}</p>
<div class="tiles">
  <div class="tile"><div class="label">Nodes up</div><div class="value">${kpi('nodes-up', healthy, num(healthy))}</div><div class="note">of ${num(nodes)} · ${num(nodes - healthy)} down</div></div>
  <div class="tile blue"><div class="label">GPUs allocated</div><div class="value">${kpi('gpus-allocated', c.totalGpus - c.freeGpus, num(c.totalGpus - c.freeGpus))}</div><div class="note">of ${num(c.totalGpus)}</div></div>
</div>
<div class="grid">
  <section class="card span-6" aria-label="Pools">${raw(barChart({ caption: 'Pools: GPUs allocated and free', rows: c.pools.map((p) => ({ label: `${p.name} (${p.gpuType})`, values: { allocated: p.totalGpus - p.freeGpus, free: p.freeGpus } })), series: ['allocated', 'free'], colours: ['#1f5fa8', '#c9d3dc'] }))}</section>
  <section class="card span-6" aria-label="Health history">${raw(lineChart({ caption: 'Health, last 24 hours', hint: 'sampled by ncg', points: d.health.map((h) => ({ t: new Date(h.at).toISOString(), values: { 'GPUs allocated': h.gpusTotal - h.gpusFree, 'nodes up': h.nodesHealthy } })), series: ['GPUs allocated', 'nodes up'] }))}</section>
  <section class="card span-12" aria-labelledby="pools-h"><h2 id="pools-h">Pools</h2><table><thead><tr><th scope="col">Pool</th><th scope="col">GPU type</th><th scope="col" class="num">Nodes up</th><th scope="col" class="num">GPUs/node</th><th scope="col" class="num">Free</th><th scope="col" class="num">Total</th></tr></thead>
  <tbody>${c.pools.map((p) => raw(html`<tr><th scope="row">${p.name}</th><td>${p.gpuType}</td><td class="num">${num(p.healthyNodes)} / ${num(p.nodes)}</td><td class="num">${num(p.gpusPerNode)}</td><td class="num">${num(p.freeGpus)}</td><td class="num">${num(p.totalGpus)}</td></tr>`))}</tbody></table></section>
</div>`;
  return c.name;
}
