/**
 * Every REST route an express 5 app registers, found by walking its router stack (nested routers
 * included), and the ones the authorisation table has no rule for. createApp refuses to build an app
 * with such a route, and the matrix test enumerates routes from here, so a route without a rule can
 * neither start nor pass the tests.
 */
import type { Express } from 'express';
import type { RestRuleTable } from './rest-table.js';

interface LayerLike {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
  rawPath?: unknown;
}

/** One registered route. */
export interface RegisteredRoute {
  method: string;
  path: string;
}

/** `METHOD /path` of a route, the table's key spelling. */
export const routeKey = (r: RegisteredRoute): string => `${r.method} ${r.path}`;

/** Every `METHOD /path` the app answers (upper-case methods, express path syntax). */
export function registeredRoutes(app: Express): RegisteredRoute[] {
  const out: RegisteredRoute[] = [];
  const walk = (stack: LayerLike[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) {
          for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') out.push({ method: m.toUpperCase(), path: `${prefix}${p}` });
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  const router = (app as unknown as { router?: { stack: LayerLike[] } }).router;
  walk(router?.stack ?? [], '');
  return out;
}

/** Routes of `app` the table has no rule for (empty when every route is covered). */
export function routesWithoutRules(app: Express, table: RestRuleTable): string[] {
  return registeredRoutes(app)
    .filter((r) => !table.has(r.method, r.path))
    .map(routeKey);
}

/** Throw (refusing to start) when a route has no rule: the table must name who may call every route. */
export function assertEveryRouteHasRule(app: Express, table: RestRuleTable): void {
  const missing = routesWithoutRules(app, table);
  if (missing.length > 0) {
    throw new Error(`no authorisation rule for ${missing.join(', ')}; add an entry to src/api/authz/rules.ts (routes without one are refused)`);
  }
}
