/**
 * The API server fake speaks the protocol the adapter relies on, checked with raw HTTP rather than the
 * client: Status errors (401, 404, 409, 422), selectors, watches from 0 and from a version, bookmarks,
 * 410 Gone as an ERROR event, and the Job delete default (orphan) versus Background propagation.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeKubernetes } from '../../helpers/k8s-fake/fake-cluster.js';
import { pollFor } from './fake-harness.js';

let fake: FakeKubernetes;
afterEach(async () => {
  await fake?.close();
});

function api(path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<Response> {
  return fetch(`${fake.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${init.token ?? fake.token}`, 'content-type': 'application/json' },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
}

/** Read newline-delimited watch events until `count` arrived or the stream ended. */
async function events(res: Response, count: number): Promise<{ type: string; object: Record<string, unknown> }[]> {
  const out: { type: string; object: Record<string, unknown> }[] = [];
  const reader = res.body!.getReader();
  let buf = '';
  while (out.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += Buffer.from(value).toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0 && out.length < count) {
      out.push(JSON.parse(buf.slice(0, nl)) as never);
      buf = buf.slice(nl + 1);
    }
  }
  await reader.cancel();
  return out;
}

const job = (name: string, restartPolicy = 'Never') => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, labels: { app: 'x' } },
  spec: { template: { metadata: { labels: { app: 'x' } }, spec: { restartPolicy, containers: [{ name: 'c', image: 'busybox' }] } } },
});

describe('k8s API server fake protocol', () => {
  it('answers errors with Status objects and the real reasons', async () => {
    fake = await FakeKubernetes.start({ nodes: [{ name: 'n1', gpus: 8, product: 'NVIDIA-L40S' }] });
    expect((await api('/api/v1/nodes', { token: 'wrong' })).status).toBe(401);
    expect((await api('/apis/batch/v1/namespaces/ncg/jobs', { method: 'POST', body: job('a') })).status).toBe(201);
    const dup = await api('/apis/batch/v1/namespaces/ncg/jobs', { method: 'POST', body: job('a') });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'AlreadyExists', code: 409, details: { name: 'a', kind: 'jobs.batch' } });
    expect(await (await api('/apis/batch/v1/namespaces/ncg/jobs/nope')).json()).toMatchObject({ reason: 'NotFound', code: 404 });
    expect(await (await api('/apis/batch/v1/namespaces/missing/jobs', { method: 'POST', body: job('b') })).json()).toMatchObject({ reason: 'NotFound', message: 'namespaces "missing" not found' });
    const bad = await api('/apis/batch/v1/namespaces/ncg/jobs', { method: 'POST', body: job('c', 'Sometimes') });
    expect(await bad.json()).toMatchObject({ reason: 'Invalid', code: 422 });
  });

  it('filters lists by label and field selectors', async () => {
    fake = await FakeKubernetes.start({ nodes: [{ name: 'n1', gpus: 8 }, { name: 'n2', gpus: 8 }] });
    fake.cordon('n2');
    const list = (q: string) => api(`/api/v1/nodes?${q}`).then((r) => r.json() as Promise<{ items: { metadata: { name: string } }[]; metadata: { resourceVersion: string } }>);
    expect((await list('labelSelector=kubernetes.io/hostname%3Dn1')).items.map((n) => n.metadata.name)).toEqual(['n1']);
    expect((await list('labelSelector=kubernetes.io/hostname%20in%20(n1,n2),!missing')).items).toHaveLength(2);
    expect((await list('fieldSelector=metadata.name!%3Dn1')).items.map((n) => n.metadata.name)).toEqual(['n2']);
    expect((await api('/api/v1/nodes?fieldSelector=spec.bogus%3D1')).status).toBe(400);
    expect(Number((await list('')).metadata.resourceVersion)).toBeGreaterThan(0);
  });

  it('watches: ADDED from 0, replay from a version, bookmarks, and 410 Gone as an ERROR event', async () => {
    fake = await FakeKubernetes.start({ nodes: [{ name: 'n1', gpus: 8 }], bookmarkMs: 20 });
    const rv = ((await (await api('/api/v1/nodes')).json()) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    fake.addNode({ name: 'n2', gpus: 4 });
    expect((await events(await api('/api/v1/nodes?watch=1'), 2)).map((e) => [e.type, (e.object.metadata as { name: string }).name])).toEqual([['ADDED', 'n1'], ['ADDED', 'n2']]);
    const resumed = await events(await api(`/api/v1/nodes?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`), 2);
    expect(resumed.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
    fake.compact();
    const gone = await events(await api(`/api/v1/nodes?watch=true&resourceVersion=${rv}`), 5);
    expect(gone).toHaveLength(1);
    expect(gone[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
  });

  it('a Job delete orphans its pods by default; Background takes them along', async () => {
    fake = await FakeKubernetes.start({ nodes: [{ name: 'n1', gpus: 8 }] });
    for (const name of ['orphan', 'bg']) await api('/apis/batch/v1/namespaces/ncg/jobs', { method: 'POST', body: job(name) });
    await pollFor(async () => fake.list('Pod', 'ncg').length === 2, 'a pod per Job');
    await api('/apis/batch/v1/namespaces/ncg/jobs/orphan', { method: 'DELETE' });
    await api('/apis/batch/v1/namespaces/ncg/jobs/bg?propagationPolicy=Background', { method: 'DELETE' });
    const pods = fake.list('Pod', 'ncg');
    expect(pods.map((p) => p.metadata.labels!['job-name'])).toEqual(['orphan']);
    expect(pods[0]!.metadata.ownerReferences).toEqual([]);
  });
});
