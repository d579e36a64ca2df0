/**
 * The authorisation table's machinery without a database: a route or method without a rule is reported,
 * refused at startup and refused at request time (fail closed); rules match requests the way express
 * routes them; decisions name the needed role, hide other institutions (404) and keep operators to
 * their sites.
 */
import express from 'express';
import { describe, expect, it } from 'vitest';
import { authorize } from '../../../src/api/authz/decide.js';
import { authorizeRest } from '../../../src/api/authz/rest-middleware.js';
import { routesWithoutRules } from '../../../src/api/authz/rest-routes.js';
import { RestRuleTable } from '../../../src/api/authz/rest-table.js';
import { rule } from '../../../src/api/authz/rule.js';
import { grpcRules, restRules, roleSets } from '../../../src/api/authz/rules.js';
import { assertEveryMethodHasRule, grpcRuleKey } from '../../../src/api/grpc/authorize.js';
import { loadProtos, serviceConstructor } from '../../../src/api/grpc/index.js';
import { createApp } from '../../../src/api/rest/app.js';
import { errorHandler } from '../../../src/api/rest/errors.js';
import { isDomainError } from '../../../src/domain/errors.js';
import type { Principal } from '../../../src/domain/principal.js';
import { createLogger } from '../../../src/observability/logger.js';
import { createMetricsRegistry } from '../../../src/observability/metrics.js';

const researcher: Principal = { userId: 'r1', institutionId: 'inst-a', roles: ['researcher'], operatorSiteIds: [] };
const operator: Principal = { userId: 'op', institutionId: 'inst-a', roles: ['coe-operator'], operatorSiteIds: ['site-1'] };
const national: Principal = { userId: 'n', institutionId: 'inst-a', roles: ['national-admin'], operatorSiteIds: [] };

async function refusal(p: Promise<void>): Promise<{ code: string; message: string } | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return { code: e.code, message: e.message };
  }
}

function appDeps(table = restRules) {
  const unused = {} as never;
  return {
    log: createLogger('silent'), metrics: createMetricsRegistry({ database: 'pglite', grid: 'none' }), bodyLimitBytes: 1024,
    readiness: async () => ({ ready: true, checks: {} }), resolveToken: async () => undefined,
    inventory: unused, institutions: unused, jobs: unused, authz: { table },
  };
}

describe('a route without a rule', () => {
  it('is reported by the route walker (what the matrix test enumerates)', () => {
    const app = express();
    const v1 = express.Router();
    v1.get('/jobs', (_req, res) => res.end());
    v1.post('/brand-new-thing/:id', (_req, res) => res.end()); // the route someone forgot to write a rule for
    app.use('/v1', v1);
    expect(routesWithoutRules(app, new RestRuleTable(restRules))).toEqual(['POST /v1/brand-new-thing/:id']);
  });

  it('stops createApp from building the app, naming the route', () => {
    const { 'GET /v1/queue': _dropped, ...withoutQueue } = restRules;
    expect(() => createApp(appDeps(withoutQueue))).toThrow(/no authorisation rule for GET \/v1\/queue; add an entry to src\/api\/authz\/rules\.ts/);
    expect(() => createApp(appDeps())).not.toThrow();
  });

  it('is refused at request time too (fail closed)', async () => {
    const app = express();
    app.use((_req, res, next) => {
      res.locals.principal = national;
      next();
    });
    app.use('/v1', authorizeRest(new RestRuleTable(restRules)), express.Router().get('/unruled', (_req, res) => res.json({ leaked: true })));
    app.use(errorHandler(createLogger('silent')));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/v1/unruled`);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('leaked');
    } finally {
      server.close();
    }
  });

  it('is a gRPC method the server refuses to serve', () => {
    const { service } = serviceConstructor(loadProtos(), 'ncg.v1.JobService');
    const { 'ncg.v1.JobService/Watch': _dropped, ...withoutWatch } = grpcRules;
    expect(() => assertEveryMethodHasRule(service, withoutWatch)).toThrow(/no authorisation rule for gRPC ncg\.v1\.JobService\/Watch/);
    expect(() => assertEveryMethodHasRule(service)).not.toThrow();
    expect(grpcRuleKey('JobService.Submit')).toBe('ncg.v1.JobService/Submit');
  });
});

describe('rule lookup follows express routing', () => {
  const table = new RestRuleTable({ 'GET /v1/reports/snapshots': rule(roleSets.ALL, 'any'), 'GET /v1/reports/:what': rule(roleSets.NATIONAL, 'national'), 'DELETE /v1/jobs/:id': rule(roleSets.MEMBERS, 'own') });
  it('matches case-insensitively, with a trailing slash, HEAD as GET, literal paths first, params decoded', () => {
    expect(table.match('GET', '/V1/Reports/Snapshots/')?.entry.key).toBe('GET /v1/reports/snapshots');
    expect(table.match('HEAD', '/v1/reports/snapshots')?.entry.key).toBe('GET /v1/reports/snapshots');
    expect(table.match('GET', '/v1/reports/other')?.entry.key).toBe('GET /v1/reports/:what');
    expect(table.match('DELETE', '/v1/jobs/a%20b')?.params).toEqual({ id: 'a b' });
  });
  it('finds nothing for another method or a longer path', () => {
    expect(table.match('POST', '/v1/jobs/x')).toBeUndefined();
    expect(table.match('DELETE', '/v1/jobs/x/y')).toBeUndefined();
  });
  it('refuses a malformed table key at construction', () => {
    expect(() => new RestRuleTable({ 'FETCH /v1/x': rule(roleSets.ALL, 'any') })).toThrow(/METHOD \/path/);
  });
});

describe('decisions', () => {
  it('names the needed roles in a 403', async () => {
    expect(await refusal(authorize('GET /v1/metering/discrepancies', rule(roleSets.OPERATORS, 'operator-sites'), researcher, {}))).toEqual({
      code: 'forbidden',
      message: "GET /v1/metering/discrepancies needs one of the roles coe-operator or national-admin; your token's user r1 has researcher",
    });
    expect((await refusal(authorize('X', rule(roleSets.NATIONAL, 'national'), operator, {})))?.message).toMatch(/needs the national-admin role/);
  });

  it("answers 404 for another institution's resource, and lets national admins through", async () => {
    const r = rule(roleSets.ALL, 'institution', { institution: 'id' });
    expect(await refusal(authorize('X', r, researcher, { id: 'inst-a' }))).toBeUndefined();
    expect((await refusal(authorize('X', r, researcher, { id: 'inst-b' })))?.code).toBe('not_found');
    expect(await refusal(authorize('X', r, national, { id: 'inst-b' }))).toBeUndefined();
  });

  it("keeps operators to their own sites' clusters, and refuses when the site cannot be told", async () => {
    const r = rule(roleSets.OPERATORS, 'operator-sites', { cluster: 'id' });
    const lookups = { siteOfCluster: async (id: string) => ({ c1: 'site-1', c2: 'site-2' })[id] };
    expect(await refusal(authorize('X', r, operator, { id: 'c1' }, lookups))).toBeUndefined();
    expect(await refusal(authorize('X', r, operator, { id: 'c2' }, lookups))).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/site site-2 is not one you operate \(yours: site-1\)/) });
    expect(await refusal(authorize('X', r, operator, { id: 'missing' }, lookups))).toBeUndefined(); // the handler's own 404
    expect((await refusal(authorize('X', r, operator, { id: 'c1' })))?.code).toBe('forbidden');
  });
});
