/**
 * API tokens. The secret (`ncg_` + 43 base64url characters = 256 random bits) is returned once at creation;
 * the database keeps only its SHA-256 and a short non-secret prefix for listing. A presented secret is
 * hashed and looked up by hash; revoked and expired tokens resolve to nothing.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../../domain/principal.js';
import { DomainError } from '../../domain/errors.js';
import { newId } from '../ids.js';
import { withDbErrors } from '../db-errors.js';
import { date, ms, type Db } from '../rows.js';
import type { Row } from '../schema.js';
import { getUser } from './users.js';

const SECRET_SHAPE = /^ncg_[A-Za-z0-9_-]{43}$/;
/** last_used_at is refreshed at most this often, so authenticating is not a write on every request. */
const LAST_USED_GRANULARITY_MS = 60_000;

/** A token as listed: everything but the secret. */
export interface ApiTokenInfo {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  createdAt: number;
  expiresAt?: number;
  revokedAt?: number;
  lastUsedAt?: number;
}

/** A freshly created token: the only time `secret` exists outside the caller's hands. */
export interface CreatedApiToken extends ApiTokenInfo {
  secret: string;
}

function sha256(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Create a token for a user; returns the secret once. DomainError `not_found` for an unknown user. */
export async function createApiToken(
  db: Db,
  input: { userId: string; name: string; expiresAt?: number },
  nowMs: number = Date.now(),
): Promise<CreatedApiToken> {
  if (input.name.length < 1 || input.name.length > 200) throw DomainError.invalid('token name must be 1–200 characters', [{ path: 'name', message: '1–200 characters' }]);
  if (input.expiresAt !== undefined && input.expiresAt <= nowMs) throw DomainError.invalid('expiresAt must be in the future', [{ path: 'expiresAt', message: 'in the past' }]);
  await getUser(db, input.userId);
  const secret = `ncg_${randomBytes(32).toString('base64url')}`;
  const row = await withDbErrors(() =>
    db
      .insertInto('api_tokens')
      .values({
        id: newId('tok', nowMs),
        user_id: input.userId,
        name: input.name,
        prefix: secret.slice(0, 12),
        token_hash: sha256(secret).toString('hex'),
        created_at: date(nowMs),
        expires_at: input.expiresAt === undefined ? null : date(input.expiresAt),
      })
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
  return { ...infoFromRow(row), secret };
}

function infoFromRow(r: Row<'api_tokens'>): ApiTokenInfo {
  const info: ApiTokenInfo = { id: r.id, userId: r.user_id, name: r.name, prefix: r.prefix, createdAt: ms(r.created_at) };
  if (r.expires_at) info.expiresAt = ms(r.expires_at);
  if (r.revoked_at) info.revokedAt = ms(r.revoked_at);
  if (r.last_used_at) info.lastUsedAt = ms(r.last_used_at);
  return info;
}

/**
 * The principal a presented secret stands for, or undefined when it is malformed, unknown, revoked or
 * expired. The lookup is by hash; the stored hash is compared again in constant time before trusting it.
 */
export async function resolveToken(db: Db, secret: string, nowMs: number = Date.now()): Promise<Principal | undefined> {
  if (!SECRET_SHAPE.test(secret)) return undefined;
  const digest = sha256(secret);
  const row = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', digest.toString('hex')).executeTakeFirst();
  if (!row || !timingSafeEqual(Buffer.from(row.token_hash, 'hex'), digest)) return undefined;
  if (row.revoked_at !== null) return undefined;
  if (row.expires_at !== null && ms(row.expires_at) <= nowMs) return undefined;
  if (row.last_used_at === null || nowMs - ms(row.last_used_at) >= LAST_USED_GRANULARITY_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: date(nowMs) }).where('id', '=', row.id).execute();
  }
  const user = await getUser(db, row.user_id);
  return { userId: user.id, institutionId: user.institutionId, roles: user.roles, operatorSiteIds: user.operatorSiteIds ?? [], tokenId: row.id };
}

/** Revoke a token (idempotent: revoking twice keeps the first time); DomainError `not_found` if unknown. */
export async function revokeApiToken(db: Db, tokenId: string, nowMs: number = Date.now()): Promise<void> {
  const exists = await db.selectFrom('api_tokens').select('id').where('id', '=', tokenId).executeTakeFirst();
  if (!exists) throw DomainError.notFound('api token', tokenId);
  await db.updateTable('api_tokens').set({ revoked_at: date(nowMs) }).where('id', '=', tokenId).where('revoked_at', 'is', null).execute();
}

/** A user's tokens, newest first, without secrets. */
export async function listApiTokens(db: Db, userId: string): Promise<ApiTokenInfo[]> {
  const rows = await db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map(infoFromRow);
}

/** One token without its secret; DomainError `not_found` if unknown. */
export async function getApiToken(db: Db, tokenId: string): Promise<ApiTokenInfo> {
  const row = await db.selectFrom('api_tokens').selectAll().where('id', '=', tokenId).executeTakeFirst();
  if (!row) throw DomainError.notFound('api token', tokenId);
  return infoFromRow(row);
}
