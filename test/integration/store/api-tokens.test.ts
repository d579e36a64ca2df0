/** API tokens: the secret is shown once and stored only as a hash; resolve rejects unknown, revoked and expired. */
import { createHash } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { isDomainError } from '../../../src/domain/errors.js';
import { createApiToken, listApiTokens, resolveToken, revokeApiToken, writeGridSeed } from '../../../src/store/index.js';
import { describeEachStore } from '../../helpers/db.js';
import { fixtureInstitutionId, gridFixture } from '../../helpers/grid-fixture.js';

const NOW = Date.UTC(2026, 1, 1, 12);

describeEachStore('api tokens', (getDb) => {
  beforeAll(async () => {
    await writeGridSeed(getDb(), gridFixture());
  });

  it('creation returns the secret once; the database holds only its SHA-256 and a short prefix', async () => {
    const token = await createApiToken(getDb(), { userId: 'admin', name: 'first admin token' }, NOW);
    expect(token.secret).toMatch(/^ncg_[A-Za-z0-9_-]{43}$/);
    expect(token.prefix).toBe(token.secret.slice(0, 12));
    expect(token).toMatchObject({ userId: 'admin', name: 'first admin token', createdAt: NOW });
    const row = await getDb().selectFrom('api_tokens').selectAll().where('id', '=', token.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(createHash('sha256').update(token.secret).digest('hex'));
    expect(Object.values(row).map(String).some((v) => v.includes(token.secret.slice(12)))).toBe(false);
    const listed = await listApiTokens(getDb(), 'admin');
    expect(listed.map((t) => t.id)).toContain(token.id);
    expect(listed.every((t) => !('secret' in t))).toBe(true);
  });

  it('resolves a secret to its principal and records when it was last used', async () => {
    const token = await createApiToken(getDb(), { userId: 'op-quetta', name: 'ops' }, NOW);
    expect(await resolveToken(getDb(), token.secret, NOW + 5_000)).toEqual({
      userId: 'op-quetta',
      institutionId: fixtureInstitutionId(0),
      roles: ['coe-operator'],
      operatorSiteIds: ['aux-quetta'],
      tokenId: token.id,
    });
    const info = (await listApiTokens(getDb(), 'op-quetta')).find((t) => t.id === token.id);
    expect(info?.lastUsedAt).toBe(NOW + 5_000);
  });

  it('an unknown, altered or malformed secret resolves to nothing', async () => {
    const token = await createApiToken(getDb(), { userId: 'admin', name: 'alter me' }, NOW);
    const last = token.secret.at(-1) === 'A' ? 'B' : 'A';
    expect(await resolveToken(getDb(), token.secret.slice(0, -1) + last, NOW)).toBeUndefined();
    expect(await resolveToken(getDb(), 'ncg_short', NOW)).toBeUndefined();
    expect(await resolveToken(getDb(), '', NOW)).toBeUndefined();
    expect(await resolveToken(getDb(), `${token.secret} `, NOW)).toBeUndefined();
  });

  it('a revoked token resolves to nothing; revoking twice keeps the first time', async () => {
    const token = await createApiToken(getDb(), { userId: `${fixtureInstitutionId(1)}-r1`, name: 'laptop' }, NOW);
    expect((await resolveToken(getDb(), token.secret, NOW))?.userId).toBe('inst-01-r1');
    await revokeApiToken(getDb(), token.id, NOW + 1_000);
    await revokeApiToken(getDb(), token.id, NOW + 2_000);
    expect(await resolveToken(getDb(), token.secret, NOW + 3_000)).toBeUndefined();
    const info = (await listApiTokens(getDb(), 'inst-01-r1')).find((t) => t.id === token.id);
    expect(info?.revokedAt).toBe(NOW + 1_000);
    const err = await revokeApiToken(getDb(), 'tok-missing').catch((e: unknown) => e);
    expect(isDomainError(err) && err.code).toBe('not_found');
  });

  it('a token resolves until its expiry and not from then on', async () => {
    const token = await createApiToken(getDb(), { userId: 'admin', name: 'short-lived', expiresAt: NOW + 60_000 }, NOW);
    expect(token.expiresAt).toBe(NOW + 60_000);
    expect((await resolveToken(getDb(), token.secret, NOW + 59_999))?.userId).toBe('admin');
    expect(await resolveToken(getDb(), token.secret, NOW + 60_000)).toBeUndefined();
  });

  it('refuses tokens for unknown users, empty names and past expiry', async () => {
    const unknownUser = await createApiToken(getDb(), { userId: 'nobody', name: 'x' }, NOW).catch((e: unknown) => e);
    expect(isDomainError(unknownUser) && unknownUser.code).toBe('not_found');
    const emptyName = await createApiToken(getDb(), { userId: 'admin', name: '' }, NOW).catch((e: unknown) => e);
    expect(isDomainError(emptyName) && emptyName.code).toBe('invalid');
    const past = await createApiToken(getDb(), { userId: 'admin', name: 'old', expiresAt: NOW - 1 }, NOW).catch((e: unknown) => e);
    expect(isDomainError(past) && past.code).toBe('invalid');
  });
});
