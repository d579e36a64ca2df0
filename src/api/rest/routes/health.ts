/** Liveness, readiness and metrics: unauthenticated, for probes and Prometheus. */
import { Router } from 'express';
import type { Registry } from 'prom-client';

/** Result of the readiness checks (database reachable, migrations applied, …). */
export interface Readiness {
  ready: boolean;
  checks: Record<string, string>;
}

/** Routes /healthz, /readyz and /metrics. */
export function healthRoutes(deps: { readiness: () => Promise<Readiness>; metrics: Registry }): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    let result: Readiness;
    try {
      result = await deps.readiness();
    } catch (e) {
      result = { ready: false, checks: { readiness: (e as Error).message } };
    }
    res.status(result.ready ? 200 : 503).json({ status: result.ready ? 'ready' : 'not ready', checks: result.checks });
  });
  r.get('/metrics', async (_req, res) => {
    res.set('Content-Type', deps.metrics.contentType);
    res.send(await deps.metrics.metrics());
  });
  return r;
}
