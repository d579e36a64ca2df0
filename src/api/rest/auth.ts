/** Bearer-token authentication for /v1: resolves the token to a principal or answers 401. */
import type { RequestHandler, Response } from 'express';
import { DomainError } from '../../domain/errors.js';
import type { Principal } from '../../domain/principal.js';

/** Resolves a presented secret to a principal; undefined when unknown, revoked or expired. */
export type TokenResolver = (secret: string) => Promise<Principal | undefined>;

/** Middleware that requires `Authorization: Bearer <token>` and stores the principal in res.locals. */
export function requireBearer(resolve: TokenResolver): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization;
    if (!header) {
      next(new DomainError('unauthenticated', 'missing Authorization header; send "Authorization: Bearer <api token>"'));
      return;
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) {
      next(new DomainError('unauthenticated', 'Authorization header must be "Bearer <api token>"'));
      return;
    }
    resolve(m[1]!).then(
      (principal) => {
        if (!principal) {
          next(new DomainError('unauthenticated', 'API token is unknown, revoked or expired'));
          return;
        }
        // A copy: the resolved principal is shared through the token cache; the address is this request's (audit trail).
        res.locals.principal = { ...principal, ...(req.socket.remoteAddress ? { address: req.socket.remoteAddress } : {}) };
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
