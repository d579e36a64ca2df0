/**
 * The foundation's promise, end to end: an embedded start seeds the national grid once, serves it over
 * authenticated REST, and a restart on the same data directory keeps the data without seeding twice.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { startNcg, type RunningNcg } from '../../src/main.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ncg-e2e-'));
const config = loadConfig({ overrides: { dataDir, 'http.host': '127.0.0.1', 'http.port': '0', 'grpc.host': '127.0.0.1', 'grpc.port': '0', 'log.level': 'silent' } });
let ncg: RunningNcg;
let token: string;

async function get(path: string, auth = true): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${ncg.http.port}${path}`, { headers: auth ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text() };
}

beforeAll(async () => {
  ncg = await startNcg(config, createLogger('silent'));
  token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
}, 120_000);

afterAll(async () => {
  await ncg?.close();
});

describe('embedded start', () => {
  it('writes the admin token privately and reports it once', () => {
    expect(ncg.firstStart.adminToken?.secret).toBe(token);
    expect(statSync(join(dataDir, 'admin-token')).mode & 0o777).toBe(0o600);
    expect(ncg.firstStart.seeded?.institutions).toBe(150);
  });

  it('is live and ready, and exports ncg_build_info', async () => {
    expect((await get('/healthz', false)).status).toBe(200);
    const ready = await get('/readyz', false);
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: 'ok', migrations: 'ok' });
    expect((await get('/metrics', false)).body).toMatch(/^ncg_build_info\{.*database="pglite".*\} 1$/m);
  });

  it('lists 150 institutions, and a cursor walk visits each once', async () => {
    expect((await get('/v1/institutions?limit=200')).body.items).toHaveLength(150);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await get(`/v1/institutions?limit=40${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((i: { id: string }) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(150);
    expect(seen).toHaveLength(150);
  });

  it('lists at least 8 clusters at 8 sites with live per-pool GPUs', async () => {
    const { body } = await get('/v1/clusters');
    expect(body.items.length).toBeGreaterThanOrEqual(8);
    expect(new Set(body.items.map((c: { siteId: string }) => c.siteId)).size).toBeGreaterThanOrEqual(8);
    for (const c of body.items) {
      expect(c.reachable).toBe(true);
      for (const p of c.pools) {
        expect(p.gpuType).toMatch(/^[a-z0-9-]+$/);
        expect(p.totalGpus).toBe(p.nodes * p.gpusPerNode);
        expect(p.freeGpus).toBeLessThanOrEqual(p.totalGpus);
      }
    }
    const sites = await get('/v1/sites');
    expect(sites.body.items.map((s: { city: string }) => s.city)).toEqual(expect.arrayContaining(['Islamabad', 'Lahore', 'Karachi', 'Peshawar', 'Quetta', 'Faisalabad', 'Hyderabad']));
  });

  it('answers errors in the JSON shape', async () => {
    expect(await get('/v1/clusters', false)).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    expect(await get('/v1/institutions?limit=0')).toMatchObject({ status: 400, body: { error: { code: 'invalid', details: { issues: [{ path: 'limit' }] } } } });
    expect(await get('/v1/institutions/nowhere')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await get('/v1/no-such-route')).toMatchObject({ status: 404 });
    const bad = await fetch(`http://127.0.0.1:${ncg.http.port}/v1/clusters`, { headers: { authorization: 'Bearer ncg_not-a-real-token' } });
    expect(bad.status).toBe(401);
  });

  it('keeps its data across a restart and does not seed twice', async () => {
    await ncg.close();
    ncg = await startNcg(config, createLogger('silent'));
    expect(ncg.firstStart).toEqual({});
    expect((await get('/v1/institutions?limit=500')).body.items).toHaveLength(150);
    expect(readFileSync(join(dataDir, 'admin-token'), 'utf8').trim()).toBe(token);
  }, 120_000);
});
