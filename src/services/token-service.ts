/**
 * API tokens for REST, gRPC and the CLI: create (the secret is returned once), list (never secrets) and
 * revoke. Who may manage whose tokens is token-access.ts; revoking also empties this replica's token
 * cache at once (src/api/auth/token-cache.ts), so a revoked token stops working here immediately, and on
 * other replicas within the cache's TTL.
 */
import type { Principal } from '../domain/principal.js';
import { DomainError } from '../domain/errors.js';
import { DEFAULT_TOKEN_LIFETIME, tokenCreateSchema } from '../api/schemas/tokens.js';
import { parseDurationSeconds } from '../domain/duration.js';
import { parseOrInvalid } from '../api/schemas/zod-issues.js';
import { recordAudit } from './audit.js';
import { createApiToken, getApiToken, listApiTokens, revokeApiToken, type ApiTokenInfo, type CreatedApiToken } from '../store/repositories/api-tokens.js';
import { getUser } from '../store/repositories/users.js';
import type { Db } from '../store/rows.js';
import { assertMayManageTokensOf } from './token-access.js';

/** What the service needs. */
export interface TokenServiceDeps {
  db: Db;
  /** Called after a revocation: drop cached resolutions (token-cache.ts `clear`). */
  onRevoke?: () => void;
  now?: () => number;
}

/** Token management on behalf of a principal. */
export class TokenService {
  constructor(private readonly deps: TokenServiceDeps) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  private async owner(p: Principal, userId: string) {
    // Another institution's user answers 404 before anything about them is read out.
    const user = await getUser(this.deps.db, userId).catch((e: unknown) => {
      throw e instanceof DomainError && e.code === 'not_found' ? DomainError.notFound('user', userId) : e;
    });
    assertMayManageTokensOf(p, { userId: user.id, institutionId: user.institutionId });
    return user;
  }

  /** Create a token from a request body (`name`, optional `user` and `expires`); the answer holds the secret once. */
  async create(p: Principal, body: unknown): Promise<CreatedApiToken> {
    const { name, user, expires } = parseOrInvalid(tokenCreateSchema, body ?? {}, 'token request');
    const owner = await this.owner(p, user ?? p.userId);
    // "never" parses to undefined; an absent `expires` gets the default lifetime.
    const given = typeof body === 'object' && body !== null && (body as { expires?: unknown }).expires !== undefined;
    const lifetime = given ? expires : parseDurationSeconds(DEFAULT_TOKEN_LIFETIME);
    const now = this.now();
    // The token and its audit row (never the secret) commit together.
    return this.deps.db.transaction().execute(async (tx) => {
      const created = await createApiToken(tx, { userId: owner.id, name, ...(lifetime !== undefined ? { expiresAt: now + lifetime * 1000 } : {}) }, now);
      const { secret: _secret, ...info } = created;
      await recordAudit(tx, p, { action: 'token.create', target: { kind: 'api-token', id: created.id }, institutionId: owner.institutionId, after: info });
      return created;
    });
  }

  /** A user's tokens (default: the caller's), newest first, without secrets. */
  async list(p: Principal, userId?: string): Promise<ApiTokenInfo[]> {
    const owner = await this.owner(p, userId ?? p.userId);
    return listApiTokens(this.deps.db, owner.id);
  }

  /** Revoke a token the caller may manage; others' are reported as not existing. Idempotent. */
  async revoke(p: Principal, tokenId: string): Promise<ApiTokenInfo> {
    const token = await getApiToken(this.deps.db, tokenId);
    const user = await getUser(this.deps.db, token.userId);
    try {
      assertMayManageTokensOf(p, { userId: user.id, institutionId: user.institutionId });
    } catch {
      throw DomainError.notFound('api token', tokenId);
    }
    await this.deps.db.transaction().execute(async (tx) => {
      await revokeApiToken(tx, tokenId, this.now());
      if (token.revokedAt === undefined) {
        await recordAudit(tx, p, { action: 'token.revoke', target: { kind: 'api-token', id: tokenId }, institutionId: user.institutionId, before: token, after: await getApiToken(tx, tokenId) });
      }
    });
    this.deps.onRevoke?.();
    return getApiToken(this.deps.db, tokenId);
  }
}
