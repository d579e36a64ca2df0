/**
 * GET /v1/clusters shows every caller the inventory, and a cluster's backend settings (`config`) only to
 * national admins and the operators of that cluster's site.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-harness.js';

describe('GET /v1/clusters: who sees backend settings', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  const clusters = async (user: string) => {
    const r = await h.call('GET', '/v1/clusters', { token: h.tokens[user] });
    expect(r.status).toBe(200);
    return new Map<string, Record<string, unknown>>(r.body.items.map((c: { id: string }) => [c.id, c]));
  };

  it('hides config from researchers, shows it to national admins and the site’s operator only', async () => {
    const researcher = await clusters('inst-00-r1');
    expect([...researcher.keys()].sort()).toEqual(['isb-k8s', 'qta-slurm']);
    for (const c of researcher.values()) expect(c).not.toHaveProperty('config');
    expect((await clusters('admin')).get('isb-k8s')).toMatchObject({ config: { flavour: 'kubernetes' } });
    const op = await clusters('op-quetta');
    expect(op.get('qta-slurm')).toHaveProperty('config');
    expect(op.get('isb-k8s')).not.toHaveProperty('config');
    expect(op.get('isb-k8s')).toMatchObject({ pools: expect.any(Array), freeGpus: expect.any(Number) });
  });
});
