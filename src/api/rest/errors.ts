/** Turns anything thrown in a handler into the JSON error shape `{"error":{"code","message","details"}}`. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isDomainError } from '../../domain/errors.js';
import { httpStatusOf } from '../../domain/error-status.js';
import type { Logger } from '../../observability/logger.js';
import { databaseUnavailableError } from '../../store/connection-errors.js';

/** The body of every error answer. */
export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

interface HttpishError {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
  limit?: number;
}

/** Map a thrown value to a status and body; never leaks stack traces or SQL. */
export function toErrorResponse(thrown: unknown): { status: number; body: ErrorBody } {
  // A lost database is the server's condition, not the request's fault: 503, and the same request will do.
  const err = databaseUnavailableError(thrown) ?? thrown;
  if (isDomainError(err)) {
    const body: ErrorBody = { error: { code: err.code, message: err.message } };
    if (err.details) body.error.details = err.details;
    return { status: httpStatusOf[err.code], body };
  }
  const h = (err ?? {}) as HttpishError;
  if (h.type === 'entity.too.large') {
    return { status: 413, body: { error: { code: 'payload_too_large', message: `request body is larger than the limit of ${h.limit ?? '?'} bytes` } } };
  }
  if (h.type === 'entity.parse.failed') {
    return { status: 400, body: { error: { code: 'invalid', message: 'request body is not valid JSON' } } };
  }
  if (h.type === 'encoding.unsupported' || h.type === 'charset.unsupported') {
    return { status: 415, body: { error: { code: 'unsupported_media_type', message: 'request body encoding is not supported; send UTF-8 JSON' } } };
  }
  const status = h.status ?? h.statusCode;
  if (h.expose && typeof status === 'number' && status >= 400 && status < 500) {
    return { status, body: { error: { code: 'invalid', message: (err as Error).message } } };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'internal error; the server log has the details' } } };
}

/** Express error middleware: logs 5xx with the stack, answers JSON (a 429 or 503 with Retry-After). */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const { status, body } = toErrorResponse(err);
    if (status >= 500) log.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
    if (res.headersSent) return;
    const retryAfter = body.error.details?.retryAfterSeconds;
    if ((status === 429 || status === 503) && typeof retryAfter === 'number') res.set('Retry-After', String(retryAfter));
    res.status(status).json(body);
  };
}

/** The 404 answer for routes that do not exist. */
export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'not_found', message: `no route for ${req.method} ${req.path}` } } satisfies ErrorBody);
};
