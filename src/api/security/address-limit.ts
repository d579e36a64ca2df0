/** The per-address rate limit for REST, applied before bodies are parsed; probes and metrics are exempt. */
import type { RequestHandler } from 'express';
import { clientAddress } from '../rest/auth.js';
import type { RateLimiter } from './rate-limits.js';

const EXEMPT = new Set(['/healthz', '/readyz', '/metrics']);

/** Middleware refusing (429) an address over its rate. */
export function addressLimit(limits: RateLimiter): RequestHandler {
  return (req, _res, next) => {
    if (EXEMPT.has(req.path)) return next();
    try {
      limits.address(clientAddress(req));
      next();
    } catch (e) {
      next(e);
    }
  };
}
