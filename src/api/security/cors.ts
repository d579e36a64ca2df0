/**
 * CORS, off unless `http.cors.origins` lists origins. Then a request from a listed origin gets
 * Access-Control-Allow-Origin for that origin (never `*`: requests carry bearer tokens), and its
 * preflight is answered here, before authentication (browsers send preflights without credentials).
 * Requests from other origins get no CORS headers, so browsers keep them from the page.
 */
import type { RequestHandler } from 'express';

const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key';
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';

/** Middleware for the listed origins; undefined (no middleware) when none are listed. */
export function corsMiddleware(origins: readonly string[]): RequestHandler | undefined {
  if (origins.length === 0) return undefined;
  const allowed = new Set(origins.map((o) => o.toLowerCase()));
  return (req, res, next) => {
    const origin = req.headers.origin;
    res.vary('Origin');
    if (typeof origin !== 'string' || !allowed.has(origin.toLowerCase())) {
      next();
      return;
    }
    res.set('Access-Control-Allow-Origin', origin);
    res.set('Access-Control-Expose-Headers', 'Location, Retry-After');
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.set('Access-Control-Allow-Methods', ALLOWED_METHODS).set('Access-Control-Allow-Headers', ALLOWED_HEADERS).set('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
