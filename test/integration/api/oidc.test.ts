/**
 * OpenID Connect bearer JWTs against a real JWKS served over HTTP on 127.0.0.1 (keys from
 * jose.generateKeyPair): a valid token maps to a principal with the claims' roles; expired, wrong issuer,
 * wrong audience, a foreign signing key, an unregistered user or a user claimed at another institution
 * are refused with a 401 that says which; API tokens keep working beside it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oidcResolver, withOidc } from '../../../src/api/auth/oidc.js';
import { oidcConfigSchema } from '../../../src/api/auth/oidc-config.js';
import { loadConfig } from '../../../src/config/index.js';
import { getUser } from '../../../src/store/index.js';
import { startApiHarness, type ApiHarness } from './api-harness.js';

const ISSUER = 'https://sso.ncg.gov.pk/realms/ncg';
const AUDIENCE = 'ncg-api';
let keys: Awaited<ReturnType<typeof generateKeyPair>>;
let foreign: Awaited<ReturnType<typeof generateKeyPair>>;
let jwks: Server;
let h: ApiHarness;

async function sign(claims: JWTPayload, opts: { key?: typeof keys; iss?: string; aud?: string; exp?: number | string } = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(opts.iss ?? ISSUER)
    .setAudience(opts.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? '5m')
    .sign((opts.key ?? keys).privateKey);
}

beforeAll(async () => {
  keys = await generateKeyPair('RS256');
  foreign = await generateKeyPair('RS256');
  const body = JSON.stringify({ keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] });
  jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
  const config = oidcConfigSchema.parse({ issuer: ISSUER, audience: AUDIENCE, jwksUrl: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/certs` });
  h = await startApiHarness('pglite', { wrapResolver: (base, db) => withOidc(base, oidcResolver(config, (id) => getUser(db, id).catch(() => undefined))) });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await new Promise((r) => jwks?.close(r));
});

const me = (jwt: string) => h.call('GET', '/v1/dashboard/me', { token: jwt });

describe('OIDC bearer tokens', () => {
  it('a valid token becomes the claimed user, with the claimed roles and ncg’s operated sites', async () => {
    const res = await me(await sign({ sub: 'op-quetta', ncg_institution: 'inst-00', ncg_roles: ['coe-operator'] }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: 'op-quetta', institutionId: 'inst-00', roles: ['coe-operator'], operatorSiteIds: ['aux-quetta'] });
    const researcher = await me(await sign({ sub: 'inst-01-r1', ncg_roles: 'researcher' }));
    expect(researcher.body).toMatchObject({ userId: 'inst-01-r1', roles: ['researcher'] });
  });

  it('roles from the token are enforced by the same table', async () => {
    const jwt = await sign({ sub: 'inst-01-r1', ncg_institution: 'inst-01', ncg_roles: ['researcher'] });
    expect((await h.call('GET', '/v1/metering/discrepancies', { token: jwt })).status).toBe(403);
  });

  it.each([
    ['expired', () => sign({ sub: 'inst-00-r1', ncg_roles: ['researcher'] }, { exp: Math.floor(Date.now() / 1000) - 60 }), /has expired/],
    ['from another issuer', () => sign({ sub: 'inst-00-r1', ncg_roles: ['researcher'] }, { iss: 'https://evil.example' }), /not issued by https:\/\/sso\.ncg\.gov\.pk/],
    ['for another audience', () => sign({ sub: 'inst-00-r1', ncg_roles: ['researcher'] }, { aud: 'other-app' }), /audience must be ncg-api/],
    ['signed by another key', () => sign({ sub: 'inst-00-r1', ncg_roles: ['researcher'] }, { key: foreign }), /signature does not verify/],
    ['for an unregistered user', () => sign({ sub: 'stranger', ncg_roles: ['national-admin'] }), /SSO user "stranger" is not registered in ncg; ask your institution admin/],
    ['claiming another institution', () => sign({ sub: 'inst-00-r1', ncg_institution: 'inst-02', ncg_roles: ['researcher'] }), /institution "inst-02" is not inst-00-r1's institution in ncg \(inst-00\)/],
    ['without an ncg role', () => sign({ sub: 'inst-00-r1', ncg_roles: ['admin'] }), /holds no ncg role/],
  ])('refuses a token %s with a 401 saying why', async (_what, make, message) => {
    const res = await me(await make());
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
    expect(res.body.error.message).toMatch(message);
  });

  it('keeps accepting ncg API tokens', async () => {
    expect((await me(h.tokens['inst-00-r1']!)).body.userId).toBe('inst-00-r1');
  });

  it('is configured by auth.oidc (file or NCG_OIDC_*), off by default', () => {
    expect(loadConfig({}).auth.oidc).toBeUndefined();
    const c = loadConfig({ env: { NCG_OIDC_ISSUER: ISSUER, NCG_OIDC_AUDIENCE: AUDIENCE } });
    expect(c.auth.oidc).toEqual({ issuer: ISSUER, audience: AUDIENCE, claims: { user: 'sub', institution: 'ncg_institution', roles: 'ncg_roles' } });
    expect(() => loadConfig({ env: { NCG_OIDC_ISSUER: 'not a url', NCG_OIDC_AUDIENCE: 'x' } })).toThrow(/auth\.oidc\.issuer/);
  });
});
