/**
 * The REST face of the authorisation table: after authentication, find the request's rule and apply it.
 * A request no rule matches is refused with 404 (fail closed — a route added without a rule is never
 * reachable, and createApp refuses to start with one anyway).
 */
import type { RequestHandler } from 'express';
import { DomainError } from '../../domain/errors.js';
import { principalOf } from '../rest/auth.js';
import { authorize, type ScopeLookups } from './decide.js';
import type { RestRuleTable } from './rest-table.js';

/** Middleware for an authenticated router: 403/404 unless the table allows the call. */
export function authorizeRest(table: RestRuleTable, lookups: ScopeLookups = {}): RequestHandler {
  return (req, res, next) => {
    const path = `${req.baseUrl}${req.path}`;
    const match = table.match(req.method, path);
    if (!match) {
      next(new DomainError('not_found', `no route for ${req.method} ${path}`));
      return;
    }
    const { entry, params } = match;
    authorize(`${entry.method} ${entry.path}`, entry.rule, principalOf(res), params, lookups).then(() => next(), next);
  };
}
