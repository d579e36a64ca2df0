/** Bearer-token authentication for /v1: resolves the token to a principal or answers 401. */
import type { Request, RequestHandler, Response } from 'express';
import { DomainError } from '../../domain/errors.js';
import type { Principal } from '../../domain/principal.js';
import type { RateLimiter } from '../security/rate-limits.js';

/** Resolves a presented secret to a principal; undefined when unknown, revoked or expired. */
export type TokenResolver = (secret: string) => Promise<Principal | undefined>;

/** The client address rate limits key on (the socket's peer; no proxy headers are trusted). */
export function clientAddress(req: Request): string {
  // req.ip is the socket's peer unless http.trustProxy says which proxies' X-Forwarded-For to believe.
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/**
 * Middleware that requires `Authorization: Bearer <token>` and stores the principal in res.locals. With
 * `limits`: an address that failed too often is refused (429) before its token is even looked at, each
 * unknown token counts as a failure, and a known token is held to its per-token rate.
 */
export function requireBearer(resolve: TokenResolver, limits?: RateLimiter): RequestHandler {
  return (req, res, next) => {
    const address = clientAddress(req);
    try {
      limits?.assertMayAuthenticate(address);
    } catch (e) {
      next(e);
      return;
    }
    const header = req.headers.authorization;
    if (!header) {
      next(new DomainError('unauthenticated', 'missing Authorization header; send "Authorization: Bearer <api token>"'));
      return;
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) {
      limits?.authFailed(address);
      next(new DomainError('unauthenticated', 'Authorization header must be "Bearer <api token>"'));
      return;
    }
    resolve(m[1]!).then(
      (principal) => {
        if (!principal) {
          limits?.authFailed(address);
          next(new DomainError('unauthenticated', 'API token is unknown, revoked or expired'));
          return;
        }
        try {
          limits?.token(principal.tokenId ?? principal.userId);
        } catch (e) {
          next(e);
          return;
        }
        // A copy: the resolved principal is shared through the token cache; the address is this request's (audit trail).
        res.locals.principal = { ...principal, ...(address !== 'unknown' ? { address } : {}) };
        next();
      },
      (err: unknown) => next(err),
    );
  };
}

/** The principal of an authenticated request. */
export function principalOf(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (!p) throw new DomainError('unauthenticated', 'request is not authenticated');
  return p;
}
