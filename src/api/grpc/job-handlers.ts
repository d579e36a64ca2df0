/**
 * `ncg.v1.JobService`: thin handlers over the same JobService REST uses (it validates with the shared zod
 * schema and authorises), so both transports accept, refuse and answer alike.
 */
import type * as grpc from '@grpc/grpc-js';
import type { JobService } from '../../services/job-service.js';
import { pendingInfo } from '../../services/pending-info.js';
import { serverStream, unary, type CallContext, type Request } from './call.js';
import { jobMessage, stateFromEnum } from './job-messages.js';
import { idempotencyKeyOf, submitBody } from './submit-request.js';
import { filterId, jobIdOf, text } from './request-fields.js';
import { watchJob, type WatchDeps } from './watch.js';

/** What the job handlers need. */
export interface JobHandlerDeps extends CallContext, Omit<WatchDeps, 'jobs'> {
  jobs: JobService;
}

function listFilter(req: Request) {
  const states = Array.isArray(req.states) ? req.states.map(stateFromEnum) : [];
  const [institutionId, projectId, userId] = [filterId(req, 'institution'), filterId(req, 'project'), filterId(req, 'user')];
  return {
    ...(institutionId ? { institutionId } : {}),
    ...(projectId ? { projectId } : {}),
    ...(userId ? { userId } : {}),
    ...(states.length > 0 ? { states } : {}),
  };
}

function pageOf(req: Request) {
  const cursor = text(req.cursor);
  const limit = typeof req.limit === 'number' ? req.limit : undefined;
  return { ...(limit !== undefined ? { limit } : {}), ...(cursor ? { cursor } : {}) };
}

/** The JobService implementation for grpc-js. */
export function jobHandlers(deps: JobHandlerDeps): grpc.UntypedServiceImplementation {
  const { jobs } = deps;
  return {
    Submit: unary(deps, 'JobService.Submit', 'ncg.v1.SubmitJobRequest', async (principal, req, call) => {
      const key = idempotencyKeyOf(req, call.metadata);
      const { job, created } = await jobs.submit(principal, submitBody(req), key);
      const pending = pendingInfo(job);
      return { job: jobMessage(job, pending ? { pending } : {}), created };
    }),

    Get: unary(deps, 'JobService.Get', 'ncg.v1.GetJobRequest', async (principal, req) => {
      const detail = await jobs.get(principal, jobIdOf(req));
      return { job: jobMessage(detail.job, detail) };
    }),

    List: unary(deps, 'JobService.List', 'ncg.v1.ListJobsRequest', async (principal, req) => {
      const page = await jobs.list(principal, listFilter(req), pageOf(req));
      return {
        jobs: page.items.map((s) => jobMessage(s.job, s.pending ? { pending: s.pending } : {})),
        next_cursor: page.nextCursor ?? '',
      };
    }),

    Cancel: unary(deps, 'JobService.Cancel', 'ncg.v1.CancelJobRequest', async (principal, req) => {
      const { job, changed } = await jobs.cancel(principal, jobIdOf(req));
      return { job: jobMessage(job), changed };
    }),

    Watch: serverStream(deps, 'JobService.Watch', 'ncg.v1.WatchJobRequest', (principal, req, call) => watchJob({ ...deps, jobs }, principal, req, call)),
  };
}
