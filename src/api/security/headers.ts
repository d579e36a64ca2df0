/**
 * Security headers on every answer (helmet). API answers are JSON and need nothing from a browser, so the
 * default Content-Security-Policy forbids everything; the dashboard (src/dashboard/serve.ts) and the
 * reference pages set their own, allowing exactly their same-origin scripts and styles.
 */
import helmet from 'helmet';
import type { RequestHandler } from 'express';

/** helmet with ncg's policy. */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } },
    // The API is plain HTTP behind whatever terminates TLS; HSTS belongs to that front, not to ncg.
    strictTransportSecurity: false,
  });
}
