/**
 * GET /v1/me: the caller as the server resolved the token — user, institution, roles, operated sites — with
 * the projects they may charge and the default `ncg submit` uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './api-harness.js';

describe('GET /v1/me', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('describes a researcher: their projects, the first as the default', async () => {
    const r = await h.call('GET', '/v1/me', { token: h.tokens['inst-01-r1'] });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      userId: 'inst-01-r1', name: 'Researcher I1', email: 'r1@inst-01.edu.pk', institutionId: 'inst-01', roles: ['researcher'], operatorSiteIds: [],
      projects: [{ id: 'inst-01-p1', name: expect.any(String), institutionId: 'inst-01' }], defaultProject: 'inst-01-p1',
    });
  });

  it('gives an admin in no project their institution’s first project, and an operator sites but no default', async () => {
    const admin = (await h.call('GET', '/v1/me', { token: h.tokens['admin'] })).body;
    expect(admin).toMatchObject({ userId: 'admin', roles: ['national-admin', 'researcher'], projects: [], defaultProject: 'inst-00-p1' });
    const op = (await h.call('GET', '/v1/me', { token: h.tokens['op-quetta'] })).body;
    expect(op).toMatchObject({ userId: 'op-quetta', roles: ['coe-operator'], operatorSiteIds: ['aux-quetta'], projects: [] });
    expect(op.defaultProject).toBeUndefined();
  });

  it('wants a token and takes no parameters', async () => {
    expect((await h.call('GET', '/v1/me', { token: null })).status).toBe(401);
    const bad = await h.call('GET', '/v1/me?user=admin', { token: h.tokens['inst-01-r1'] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/user/);
  });
});
