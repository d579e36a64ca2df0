/** POST /v1/tokens (the secret answered once), GET /v1/tokens (no secrets) and DELETE /v1/tokens/{id}. */
import { Router } from 'express';
import type { ApiTokenInfo, CreatedApiToken } from '../../../store/repositories/api-tokens.js';
import type { TokenService } from '../../../services/token-service.js';
import { principalOf } from '../auth.js';
import { onlyParams, stringParam } from '../query.js';

const iso = (t: number | undefined) => (t === undefined ? null : new Date(t).toISOString());

/** A token as shown: never the secret. */
export function presentToken(t: ApiTokenInfo): Record<string, unknown> {
  return { id: t.id, user: t.userId, name: t.name, prefix: t.prefix, createdAt: iso(t.createdAt), expiresAt: iso(t.expiresAt), revokedAt: iso(t.revokedAt), lastUsedAt: iso(t.lastUsedAt) };
}

/** A new token with its secret (the one time it is shown). */
export function presentCreatedToken(t: CreatedApiToken): Record<string, unknown> {
  return { ...presentToken(t), secret: t.secret };
}

/** The token routes. */
export function tokenRoutes(tokens: TokenService): Router {
  const r = Router();
  r.post('/tokens', async (req, res) => {
    onlyParams(req.query, []);
    const created = await tokens.create(principalOf(res), req.body);
    // Secrets must not linger in caches or proxies.
    res.status(201).set('Cache-Control', 'no-store').location(`/v1/tokens/${encodeURIComponent(created.id)}`).json(presentCreatedToken(created));
  });
  r.get('/tokens', async (req, res) => {
    onlyParams(req.query, ['user']);
    res.json({ items: (await tokens.list(principalOf(res), stringParam(req.query, 'user'))).map(presentToken) });
  });
  r.delete('/tokens/:id', async (req, res) => {
    onlyParams(req.query, []);
    res.json(presentToken(await tokens.revoke(principalOf(res), String(req.params.id))));
  });
  return r;
}
