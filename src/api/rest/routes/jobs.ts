/**
 * The job endpoints: POST/GET /v1/jobs, GET/DELETE /v1/jobs/{id} and GET /v1/queue. Thin: parse the
 * HTTP request, call the JobService (which validates and authorises), present the result.
 */
import { Router, type Request } from 'express';
import { DomainError } from '../../../domain/errors.js';
import type { JobService } from '../../../services/job-service.js';
import { pendingInfo } from '../../../services/pending-info.js';
import { principalOf } from '../auth.js';
import type { ErrorBody } from '../errors.js';
import { presentJob, presentQueue } from '../present-job.js';
import { onlyParams, pageParams, stringParam } from '../query.js';

/** Ids are at most 200 characters (a table check); longer ones cannot exist, so skip the query. */
const MAX_ID_LENGTH = 200;

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * A JSON body is required: an empty one is a 400; another media type a 415 that says what to send (the
 * same code errors.ts uses for an unsupported charset). Returns the 415 body, or undefined when fine.
 */
function mediaTypeProblem(req: Request): ErrorBody | undefined {
  if (!hasBody(req)) {
    throw DomainError.invalid('request body is empty; send the job as a JSON object with Content-Type: application/json', [{ path: '(body)', message: 'required' }]);
  }
  if (req.is('application/json')) return undefined;
  const got = req.headers['content-type'] ?? 'none';
  return { error: { code: 'unsupported_media_type', message: `Content-Type must be application/json, got ${JSON.stringify(got.slice(0, 100))}` } };
}

function jobId(req: Request): string {
  const id = String(req.params.id);
  if (id.length > MAX_ID_LENGTH) throw DomainError.notFound('job', `${id.slice(0, 40)}…`);
  return id;
}

function commaList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function scopeParams(query: Record<string, unknown>) {
  const [institutionId, projectId, userId] = [stringParam(query, 'institution'), stringParam(query, 'project'), stringParam(query, 'user')];
  return { ...(institutionId ? { institutionId } : {}), ...(projectId ? { projectId } : {}), ...(userId ? { userId } : {}) };
}

/** Job submission, listing, lookup and cancellation, and the queue. */
export function jobRoutes(jobs: JobService): Router {
  const r = Router();

  r.post('/jobs', async (req, res) => {
    onlyParams(req.query, []);
    const problem = mediaTypeProblem(req);
    if (problem) {
      res.status(415).json(problem);
      return;
    }
    const { job, created } = await jobs.submit(principalOf(res), req.body, req.get('idempotency-key'));
    const pending = pendingInfo(job);
    res
      .status(created ? 201 : 200)
      .location(`/v1/jobs/${encodeURIComponent(job.id)}`)
      .json(presentJob(job, pending ? { pending } : {}));
  });

  r.get('/jobs', async (req, res) => {
    onlyParams(req.query, ['institution', 'project', 'user', 'state', 'limit', 'cursor']);
    const states = commaList(stringParam(req.query, 'state'));
    const page = await jobs.list(principalOf(res), { ...scopeParams(req.query), ...(states ? { states } : {}) }, pageParams(req.query));
    res.json({ items: page.items.map((s) => presentJob(s.job, s.pending ? { pending: s.pending } : {})), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
  });

  r.get('/jobs/:id', async (req, res) => {
    onlyParams(req.query, []);
    const detail = await jobs.get(principalOf(res), jobId(req));
    res.json(presentJob(detail.job, detail));
  });

  r.delete('/jobs/:id', async (req, res) => {
    onlyParams(req.query, []);
    const { job } = await jobs.cancel(principalOf(res), jobId(req));
    res.json(presentJob(job));
  });

  r.get('/queue', async (req, res) => {
    onlyParams(req.query, ['institution', 'project', 'user', 'limit']);
    const { limit } = pageParams(req.query, 500);
    res.json(presentQueue(await jobs.queue(principalOf(res), { ...scopeParams(req.query), limit })));
  });

  return r;
}
