/**
 * The authorisation matrix: every REST route the express app registers and every gRPC method of the
 * loaded service definitions, × every role (researcher, institution-admin, coe-operator,
 * national-admin) and no token, an expired token, a revoked token and another institution's admin.
 * Expectations are generated from the table in src/api/authz/rules.ts, and the routes and methods from
 * the router and the protos — so a route or method without a rule fails here (and createApp /
 * startGrpcServer refuse to start with one).
 */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes, routeKey } from '../../../src/api/authz/rest-routes.js';
import { grpcRules, restRules } from '../../../src/api/authz/rules.js';
import type { AccessRule } from '../../../src/api/authz/rule.js';
import { loadProtos } from '../../../src/api/grpc/index.js';
import { CALLERS, CALLER_USERS, callAnyMethod, loadedServices, routeInventoryApp, startAuthzHarness, type AuthzHarness, type Caller, type Samples } from './authz-harness.js';

const INVALID_TOKEN: readonly Caller[] = ['no-token', 'expired-token', 'revoked-token'];

/** What a caller should get from an operation, by the table. */
type Expected = 'allowed' | 'unauthenticated' | 'forbidden' | 'not-found';

function expected(rule: AccessRule, caller: Caller, hasIds: boolean): Expected {
  if (rule.scope === 'public') return 'allowed';
  if (INVALID_TOKEN.includes(caller)) return 'unauthenticated';
  if (!rule.roles.some((r) => CALLER_USERS[caller].roles.includes(r))) return 'forbidden';
  // Another institution's admin, asking for inst-00's things by id, learns nothing: 404.
  if (caller === 'other-institution-admin' && hasIds && (rule.scope === 'own' || rule.scope === 'institution')) return 'not-found';
  return 'allowed';
}

/** A path with its parameters filled by inst-00's things (by the collection the parameter follows). */
function fill(path: string, s: Samples): string {
  const byCollection: Record<string, string> = { jobs: s.jobId, allocations: s.allocationId, tokens: s.tokenId, institutions: 'inst-00', projects: 'inst-00-p1', users: 'inst-00-r1', clusters: 'qta-slurm', sites: 'aux-quetta', snapshots: '2026-Q1' };
  const segs = path.split('/');
  return segs.map((seg, i) => (seg.startsWith(':') ? encodeURIComponent(byCollection[segs[i - 1] ?? ''] ?? 'inst-00') : seg)).join('/');
}

// Enumerated while collecting: the app's routes (every optional part present) and the protos' methods.
const routes = registeredRoutes(routeInventoryApp());
const services = loadedServices(loadProtos());
const methods = services.flatMap(([, def]) => Object.values(def).map((m) => m.path.slice(1)));

describe('the authorisation table covers everything served', () => {
  it('enumerates the real routes and methods (not an empty list)', () => {
    expect(routes.map(routeKey)).toEqual(expect.arrayContaining(['POST /v1/jobs', 'DELETE /v1/jobs/:id', 'GET /v1/usage', 'GET /healthz']));
    expect(methods).toEqual(expect.arrayContaining(['ncg.v1.JobService/Submit', 'ncg.v1.JobService/Watch', 'ncg.v1.UsageService/ListDiscrepancies', 'grpc.health.v1.Health/Check']));
  });

  it('has a rule for every REST route, and no rule for a route that does not exist', () => {
    const keys = routes.map(routeKey);
    expect(keys.filter((k) => !restRules[k])).toEqual([]);
    expect(Object.keys(restRules).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it('has a rule for every gRPC method, and no rule for a method that does not exist', () => {
    expect(methods.filter((m) => !grpcRules[m])).toEqual([]);
    expect(Object.keys(grpcRules).filter((k) => !methods.includes(k))).toEqual([]);
  });
});

describe('authorisation matrix', () => {
  let h: AuthzHarness;
  beforeAll(async () => {
    h = await startAuthzHarness();
  }, 120_000);
  afterAll(async () => h?.close());

  it('the running app registers the enumerated routes', () => {
    expect(registeredRoutes(h.api.app).map(routeKey).sort()).toEqual(routes.map(routeKey).sort());
  });

  describe.each(routes.map((r) => [routeKey(r), r] as const))('REST %s', (key, route) => {
    it.each(CALLERS.map((c) => [c]))('as %s', async (caller) => {
      const rule = restRules[key];
      if (!rule) expect.fail(`${key} has no rule in src/api/authz/rules.ts`);
      const want = expected(rule, caller, route.path.includes(':'));
      const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined;
      const secret = h.secrets[caller];
      const res = await h.api.call(route.method, fill(route.path, h.samples), { token: secret ?? null, ...(body ? { body } : {}) });
      const what = `${caller} ${route.method} ${fill(route.path, h.samples)} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
      expect(res.status, what).toBeLessThan(500);
      if (want === 'unauthenticated') expect(res.status, what).toBe(401);
      else if (want === 'forbidden') {
        expect(res.status, what).toBe(403);
        for (const role of rule.roles) expect(res.body.error.message, what).toContain(role);
      } else if (want === 'not-found') expect(res.status, what).toBe(404);
      else expect([401, 403], what).not.toContain(res.status);
    });
  });

  describe.each(services.flatMap(([name, def]) => Object.entries(def).map(([m, d]) => [`${name}/${m}`, name, d] as const)))('gRPC %s', (key, serviceName, def) => {
    it.each(CALLERS.map((c) => [c]))('as %s', async (caller) => {
      const rule = grpcRules[key];
      if (!rule) expect.fail(`${key} has no rule in src/api/authz/rules.ts`);
      const want = expected(rule, caller, false);
      const client = new grpc.Client(`127.0.0.1:${h.grpcPort}`, grpc.credentials.createInsecure());
      try {
        const out = await callAnyMethod(client, def, h.secrets[caller]);
        const what = `${caller} ${key} → ${grpc.status[out.code]} ${out.details}`;
        expect([grpc.status.INTERNAL, grpc.status.UNKNOWN, grpc.status.UNIMPLEMENTED], `${what} (is ${serviceName} served by the matrix's server?)`).not.toContain(out.code);
        if (want === 'unauthenticated') expect(out.code, what).toBe(grpc.status.UNAUTHENTICATED);
        else if (want === 'forbidden') {
          expect(out.code, what).toBe(grpc.status.PERMISSION_DENIED);
          for (const role of rule.roles) expect(out.details, what).toContain(role);
        } else expect([grpc.status.UNAUTHENTICATED, grpc.status.PERMISSION_DENIED], what).not.toContain(out.code);
      } finally {
        client.close();
      }
    });
  });
});
