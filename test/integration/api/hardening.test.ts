/**
 * Hardening of the HTTP and gRPC faces: security headers (and the dashboard's own CSP), the body limit
 * (413), per-token and per-address rate limits (429 with Retry-After; RESOURCE_EXHAUSTED over gRPC),
 * failed authentications from one address braked, no internals in error bodies, CORS off unless
 * configured. Each app here is built over one shared PGlite database with its own limits.
 */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/api/rest/app.js';
import { listen, type HttpServerHandle } from '../../../src/api/rest/server.js';
import { loadProtos, serviceConstructor, startGrpcServer } from '../../../src/api/grpc/index.js';
import { rateLimitConfigSchema } from '../../../src/api/security/config.js';
import { RateLimiter } from '../../../src/api/security/rate-limits.js';
import { createLogger } from '../../../src/observability/logger.js';
import { createMetricsRegistry } from '../../../src/observability/metrics.js';
import { InventoryService } from '../../../src/services/inventory-service.js';
import { JobService } from '../../../src/services/job-service.js';
import { getInstitution, listClusters, listInstitutions, listSites, resolveToken } from '../../../src/store/index.js';
import { startApiHarness, type ApiHarness } from './api-harness.js';

let h: ApiHarness;
const servers: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  h = await startApiHarness('pglite', { bodyLimitBytes: 2048 });
}, 60_000);
afterAll(async () => {
  for (const s of servers) await s.close();
  await h?.close();
});

/** A second app over the harness's database with its own limits and CORS origins; its base URL. */
async function appWith(opts: { limits?: Partial<Record<string, number>>; corsOrigins?: string[]; trustProxy?: number }): Promise<string> {
  const db = h.db;
  const log = createLogger('silent');
  const app = createApp({
    log, metrics: createMetricsRegistry({ database: 'pglite', grid: 'none' }), bodyLimitBytes: 2048,
    readiness: async () => ({ ready: true, checks: {} }), resolveToken: (s) => resolveToken(db, s),
    inventory: new InventoryService({ listSites: () => listSites(db), listClusters: () => listClusters(db) }, new Map()),
    institutions: { listInstitutions: (page) => listInstitutions(db, page), getInstitution: (id) => getInstitution(db, id) },
    jobs: new JobService({ db, log }),
    ...(opts.limits ? { limits: new RateLimiter(rateLimitConfigSchema.parse(opts.limits)) } : {}),
    ...(opts.corsOrigins ? { corsOrigins: opts.corsOrigins } : {}),
    ...(opts.trustProxy !== undefined ? { trustProxy: opts.trustProxy } : {}),
  });
  const http: HttpServerHandle = await listen(app, '127.0.0.1', 0);
  servers.push({ close: () => http.close(500) });
  return `http://127.0.0.1:${http.port}`;
}

const bearer = (user: string) => ({ authorization: `Bearer ${h.tokens[user]}` });

describe('security headers', () => {
  it('API answers carry helmet’s headers and a deny-all CSP; the dashboard keeps its same-origin CSP', async () => {
    const api = await h.call('GET', '/v1/sites');
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(api.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(api.headers.get('x-powered-by')).toBeNull();
    const page = await fetch(`${h.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'; style-src 'self'/);
    const script = await fetch(`${h.url}/dashboard/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
  });
});

describe('limits on what a request may be', () => {
  it('answers 413 for a body over http.bodyLimitBytes, saying the limit', async () => {
    const res = await h.call('POST', '/v1/jobs', { token: 'inst-00-r1', body: { name: 'x'.repeat(4096) } });
    expect(res.status).toBe(413);
    expect(res.body.error).toEqual({ code: 'payload_too_large', message: 'request body is larger than the limit of 2048 bytes' });
  });

  it('keeps stack traces and parser internals out of error bodies', async () => {
    const res = await h.call('POST', '/v1/jobs', { token: 'inst-00-r1', body: '{"name": ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(js|ts):\d+|SyntaxError|node_modules/);
  });
});

describe('rate limits', () => {
  it('holds a token to its rate: 429 with Retry-After, while another token goes on', async () => {
    const url = await appWith({ limits: { tokenPerSecond: 1, tokenBurst: 3 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${url}/v1/sites`, { headers: bearer('inst-00-r1') })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await fetch(`${url}/v1/sites`, { headers: bearer('inst-00-r1') });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as any).error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/too many requests with this API token; retry after \d+ s/) });
    expect((await fetch(`${url}/v1/sites`, { headers: bearer('inst-01-r1') })).status).toBe(200);
  });

  it('holds an address to its rate (probes exempt)', async () => {
    const url = await appWith({ limits: { addressPerSecond: 1, addressBurst: 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${url}/v1/sites`, { headers: bearer('inst-00-r1') })).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('brakes failed authentications from an address: after N misses even a good token waits', async () => {
    const url = await appWith({ limits: { authFailuresPerMinute: 3 } });
    const bad = { authorization: `Bearer ncg_${'x'.repeat(43)}` };
    for (let i = 0; i < 3; i++) expect((await fetch(`${url}/v1/sites`, { headers: bad })).status).toBe(401);
    const braked = await fetch(`${url}/v1/sites`, { headers: bearer('inst-00-r1') });
    expect(braked.status).toBe(429);
    expect(Number(braked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await braked.json()) as any).error.message).toMatch(/too many failed authentications from/);
  });

  it('behind a trusted proxy (http.trustProxy) brakes the client named by X-Forwarded-For, not the proxy', async () => {
    const bad = { authorization: `Bearer ncg_${'x'.repeat(43)}` };
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    // Off (the default): the header is ignored, so everyone behind the proxy shares the proxy's brake.
    const plain = await appWith({ limits: { authFailuresPerMinute: 3 } });
    for (let i = 0; i < 3; i++) await fetch(`${plain}/v1/sites`, { headers: { ...bad, ...from('198.51.100.7') } });
    expect((await fetch(`${plain}/v1/sites`, { headers: { ...bearer('inst-00-r1'), ...from('203.0.113.9') } })).status).toBe(429);
    // One trusted hop: the guessing client is braked, another client behind the same proxy is not.
    const proxied = await appWith({ limits: { authFailuresPerMinute: 3 }, trustProxy: 1 });
    for (let i = 0; i < 3; i++) await fetch(`${proxied}/v1/sites`, { headers: { ...bad, ...from('198.51.100.7') } });
    expect((await fetch(`${proxied}/v1/sites`, { headers: { ...bearer('inst-00-r1'), ...from('198.51.100.7') } })).status).toBe(429);
    expect((await fetch(`${proxied}/v1/sites`, { headers: { ...bearer('inst-00-r1'), ...from('203.0.113.9') } })).status).toBe(200);
  });

  it('defaults leave room for the API bench (thousands of requests a second from one token)', () => {
    const d = rateLimitConfigSchema.parse({});
    expect(d.tokenPerSecond).toBeGreaterThanOrEqual(3_400 * 2);
    expect(d.addressPerSecond).toBeGreaterThanOrEqual(d.tokenPerSecond);
  });

  it('applies over gRPC too: RESOURCE_EXHAUSTED once a token is over its rate', async () => {
    const db = h.db;
    const server = await startGrpcServer(
      { log: createLogger('silent'), jobs: h.jobs, inventory: { listClusters: async () => [] }, resolveToken: (s) => resolveToken(db, s), jobEvents: async () => [], limits: new RateLimiter(rateLimitConfigSchema.parse({ tokenPerSecond: 1, tokenBurst: 2 })) },
      '127.0.0.1',
      0,
    );
    servers.push({ close: () => server.close(500) });
    const client = new (serviceConstructor(loadProtos(), 'ncg.v1.ClusterService'))(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
    const md = new grpc.Metadata();
    md.set('authorization', `Bearer ${h.tokens['inst-00-r1']}`);
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) {
      codes.push(await new Promise((resolve) => (client as any).List({}, md, (err: grpc.ServiceError | null) => resolve(err ? err.code : grpc.status.OK))));
    }
    client.close();
    expect(codes).toEqual([grpc.status.OK, grpc.status.OK, grpc.status.RESOURCE_EXHAUSTED]);
  });
});

describe('CORS', () => {
  it('is off by default: no Access-Control headers, preflight not answered as CORS', async () => {
    const res = await fetch(`${h.url}/v1/sites`, { headers: { origin: 'https://evil.example', ...bearer('admin') } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await fetch(`${h.url}/v1/jobs`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows exactly the configured origins, preflight included', async () => {
    const url = await appWith({ corsOrigins: ['https://portal.ncg.gov.pk'] });
    const pre = await fetch(`${url}/v1/jobs`, { method: 'OPTIONS', headers: { origin: 'https://portal.ncg.gov.pk', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://portal.ncg.gov.pk');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const ok = await fetch(`${url}/v1/sites`, { headers: { origin: 'https://portal.ncg.gov.pk', ...bearer('admin') } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://portal.ncg.gov.pk');
    const other = await fetch(`${url}/v1/sites`, { headers: { origin: 'https://evil.example', ...bearer('admin') } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

