/**
 * API token lifecycle over REST (and its gRPC face): create for oneself or (admins) for users one
 * administers, the 256-bit secret shown once and never listed, the token working at once, expiry, and
 * revocation taking effect on this replica immediately despite the 15 s token cache.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenListSchema, tokenViewSchema, createdTokenSchema } from '../../../src/api/schemas/tokens.js';
import { startApiHarness, type ApiHarness } from './api-harness.js';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness('pglite', { cachedTokens: true });
  await h.db.insertInto('users').values({ id: 'inst-01-iadmin', institution_id: 'inst-01', name: 'Admin I1', email: 'admin@inst-01.edu.pk' }).execute();
  await h.db.insertInto('user_roles').values({ user_id: 'inst-01-iadmin', role: 'institution-admin' }).execute();
  await h.db.insertInto('api_tokens').values({ id: 'tok-seeded', user_id: 'inst-00-r1', name: 'x', prefix: 'ncg_seeded', token_hash: '0'.repeat(64), created_at: new Date() }).execute();
  h.tokens['inst-01-iadmin'] = (await h.call('POST', '/v1/tokens', { token: 'admin', body: { name: 'i1 admin', user: 'inst-01-iadmin' } })).body.secret;
}, 60_000);
afterAll(async () => h?.close());

describe('POST /v1/tokens', () => {
  it('creates a 256-bit token, answers its secret once, stores only its hash, and the token works at once', async () => {
    const res = await h.call('POST', '/v1/tokens', { token: 'inst-00-r1', body: { name: 'laptop', expires: '30d' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const created = createdTokenSchema.parse(res.body);
    expect(created.secret).toMatch(/^ncg_[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    expect(created).toMatchObject({ user: 'inst-00-r1', name: 'laptop', revokedAt: null, prefix: created.secret.slice(0, 12) });
    expect(Date.parse(created.expiresAt!) - Date.parse(created.createdAt)).toBe(30 * 86_400_000);
    const row = await h.db.selectFrom('api_tokens').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(createHash('sha256').update(created.secret).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(created.secret);
    expect((await h.call('GET', '/v1/dashboard/me', { token: created.secret })).body.userId).toBe('inst-00-r1');
  });

  it('defaults to 90 days; "never" means no expiry', async () => {
    const d = (await h.call('POST', '/v1/tokens', { token: 'inst-00-r1', body: { name: 'default' } })).body;
    expect(Date.parse(d.expiresAt) - Date.parse(d.createdAt)).toBe(90 * 86_400_000);
    expect((await h.call('POST', '/v1/tokens', { token: 'inst-00-r1', body: { name: 'forever', expires: 'never' } })).body.expiresAt).toBeNull();
  });

  it('refuses bad bodies with a 400 that names the field', async () => {
    for (const [body, field] of [[{}, 'name'], [{ name: 'x', expires: 'soon' }, 'expires'], [{ name: 'x', expires: '3000d' }, 'expires'], [{ name: 'x', colour: 'red' }, 'colour']] as const) {
      const res = await h.call('POST', '/v1/tokens', { token: 'inst-00-r1', body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.issues.map((i: { path: string }) => i.path), JSON.stringify(body)).toContain(field);
    }
  });

  it('lets admins create tokens for users they administer; others get 403 inside their institution, 404 outside', async () => {
    expect((await h.call('POST', '/v1/tokens', { token: 'admin', body: { name: 'for r2', user: 'inst-02-r1' } })).status).toBe(201);
    expect((await h.call('POST', '/v1/tokens', { token: 'inst-01-iadmin', body: { name: 'for my r1', user: 'inst-01-r1' } })).status).toBe(201);
    const outside = await h.call('POST', '/v1/tokens', { token: 'inst-01-iadmin', body: { name: 'x', user: 'inst-00-r1' } });
    expect(outside.status).toBe(404);
    expect(outside.body.error.message).toBe('user "inst-00-r1" does not exist');
    const colleague = await h.call('POST', '/v1/tokens', { token: 'op-quetta', body: { name: 'x', user: 'inst-00-r1' } });
    expect(colleague.status).toBe(403);
    expect(colleague.body.error.message).toMatch(/institution admin of inst-00 or a national admin/);
  });
});

describe('GET /v1/tokens', () => {
  it('lists without secrets or hashes, newest first; admins may list their users’', async () => {
    const res = await h.call('GET', '/v1/tokens', { token: 'inst-00-r1' });
    expect(res.status).toBe(200);
    const list = tokenListSchema.parse(res.body);
    expect(list.items.length).toBeGreaterThanOrEqual(3);
    expect(list.items.every((t) => t.user === 'inst-00-r1')).toBe(true);
    expect(JSON.stringify(res.body)).not.toMatch(/secret|token_hash|ncg_[A-Za-z0-9_-]{43}/);
    expect((await h.call('GET', '/v1/tokens?user=inst-01-r1', { token: 'inst-01-iadmin' })).status).toBe(200);
    expect((await h.call('GET', '/v1/tokens?user=inst-00-r1', { token: 'inst-01-iadmin' })).status).toBe(404);
  });
});

describe('DELETE /v1/tokens/:id', () => {
  it('revokes at once on this replica, although resolutions are cached for 15 s', async () => {
    const { id, secret } = (await h.call('POST', '/v1/tokens', { token: 'inst-00-r1', body: { name: 'to revoke' } })).body;
    expect((await h.call('GET', '/v1/jobs', { token: secret })).status).toBe(200); // now cached as valid
    const res = await h.call('DELETE', `/v1/tokens/${id}`, { token: 'inst-00-r1' });
    expect(res.status).toBe(200);
    expect(tokenViewSchema.parse(res.body).revokedAt).not.toBeNull();
    const after = await h.call('GET', '/v1/jobs', { token: secret });
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/unknown, revoked or expired/);
    // Idempotent: revoking again keeps the first time.
    expect((await h.call('DELETE', `/v1/tokens/${id}`, { token: 'inst-00-r1' })).body.revokedAt).toBe(res.body.revokedAt);
  });

  it("hides other institutions' tokens (404) and lets an institution admin revoke their users'", async () => {
    expect((await h.call('DELETE', '/v1/tokens/tok-seeded', { token: 'inst-01-iadmin' })).status).toBe(404);
    expect((await h.call('DELETE', '/v1/tokens/tok-seeded', { token: 'inst-01-r1' })).status).toBe(404);
    expect((await h.call('DELETE', '/v1/tokens/no-such-token', { token: 'admin' })).status).toBe(404);
    const mine = (await h.call('POST', '/v1/tokens', { token: 'inst-01-r1', body: { name: 'r1' } })).body;
    expect((await h.call('DELETE', `/v1/tokens/${mine.id}`, { token: 'inst-01-iadmin' })).status).toBe(200);
  });

  it('refuses an expired token with 401', async () => {
    const past = new Date(Date.now() - 1000);
    const secret = `ncg_${'e'.repeat(43)}`;
    await h.db.insertInto('api_tokens').values({ id: 'tok-expired', user_id: 'inst-00-r1', name: 'old', prefix: secret.slice(0, 12), token_hash: createHash('sha256').update(secret).digest('hex'), created_at: new Date(Date.now() - 86_400_000), expires_at: past }).execute();
    expect((await h.call('GET', '/v1/jobs', { token: secret })).status).toBe(401);
  });
});
