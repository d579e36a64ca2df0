/**
 * A CoE operator's view of jobs: every job placed on a cluster of the sites they operate (whoever owns
 * it), nothing elsewhere (404, as for any job one may not see), no queue of others' pending jobs, and
 * no cancelling (the authorisation table keeps operators to watching).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, validJob, type ApiHarness } from './api-harness.js';

let h: ApiHarness;
const ids: Record<string, string> = {};
beforeAll(async () => {
  h = await startApiHarness('pglite');
  for (const [name, cluster, inst] of [['quetta', 'qta-slurm', 'inst-00'], ['islamabad', 'isb-k8s', 'inst-01'], ['pending', null, 'inst-02']] as const) {
    const res = await h.call('POST', '/v1/jobs', { token: `${inst}-r1`, body: validJob({ name }, inst) });
    ids[name] = res.body.id;
    if (cluster) await h.db.updateTable('jobs').set({ cluster_id: cluster }).where('id', '=', res.body.id).execute();
  }
}, 60_000);
afterAll(async () => h?.close());

describe('a CoE operator (op-quetta, operating aux-quetta)', () => {
  it('lists the jobs on their site’s clusters, of any institution, and only those', async () => {
    const res = await h.call('GET', '/v1/jobs', { token: 'op-quetta' });
    expect(res.status).toBe(200);
    expect(res.body.items.map((j: { id: string }) => j.id)).toEqual([ids.quetta]);
  });

  it('sees such a job in detail; others are 404', async () => {
    expect((await h.call('GET', `/v1/jobs/${ids.quetta}`, { token: 'op-quetta' })).status).toBe(200);
    expect((await h.call('GET', `/v1/jobs/${ids.islamabad}`, { token: 'op-quetta' })).status).toBe(404);
    expect((await h.call('GET', `/v1/jobs/${ids.pending}`, { token: 'op-quetta' })).status).toBe(404);
  });

  it('gets no queue of others’ pending jobs, and may not cancel', async () => {
    expect((await h.call('GET', '/v1/queue', { token: 'op-quetta' })).body.items).toEqual([]);
    const cancel = await h.call('DELETE', `/v1/jobs/${ids.quetta}`, { token: 'op-quetta' });
    expect(cancel.status).toBe(403);
    expect(cancel.body.error.message).toMatch(/needs one of the roles researcher, institution-admin or national-admin/);
  });
});
