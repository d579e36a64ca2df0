/**
 * Serves the dashboard: `/` is the single page, `/dashboard/*` its modules and styles (plain ES modules,
 * no build step, no CDN). A strict Content-Security-Policy: only this origin's scripts, styles and API.
 * Middleware rather than routes: these are files, not API operations (the OpenAPI document lists the
 * dashboard's data endpoints under /v1/dashboard).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler } from 'express';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The directory holding index.html and the modules (src/dashboard/static, or dist/dashboard/static after a build). */
export function staticDir(): string {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'static');
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`dashboard files not found in ${dir} (run npm run build, which copies them)`);
  return dir;
}

/** Middleware serving the dashboard. */
export function dashboardStatic(dir: string = staticDir()): RequestHandler {
  const files = express.static(dir, { index: false, fallthrough: true, maxAge: '5m' });
  const router = express.Router();
  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path === '/' || req.path === '/index.html') {
      res.set('Content-Security-Policy', CSP).set('X-Content-Type-Options', 'nosniff').set('Cache-Control', 'no-cache');
      res.sendFile(join(dir, 'index.html'));
      return;
    }
    if (!req.path.startsWith('/dashboard/')) return next();
    res.set('Content-Security-Policy', CSP).set('X-Content-Type-Options', 'nosniff');
    req.url = req.url.slice('/dashboard'.length);
    files(req, res, next);
  });
  return router;
}
