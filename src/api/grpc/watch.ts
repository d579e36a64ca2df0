/**
 * `JobService.Watch`: a job's state events as a stream. It sends the recorded history (after the client's
 * `after_event_id`), then polls the event table for new rows and sends each with the job as of then, and
 * ends after the event that reaches a final state. Polling the database (rather than listening to this
 * process's control loop) works on every replica, and an event row is the committed truth.
 *
 * A watch ends early, with UNAVAILABLE naming the last event id to resume from, when the server shuts
 * down; and silently when the client goes away.
 */
import type * as grpc from '@grpc/grpc-js';
import { DomainError } from '../../domain/errors.js';
import type { Principal } from '../../domain/principal.js';
import { FINAL_JOB_STATES } from '../../domain/types.js';
import type { JobService } from '../../services/job-service.js';
import type { JobEvent, JobRecord } from '../../store/repositories/jobs.js';
import type { Request } from './call.js';
import { eventMessage, jobMessage } from './job-messages.js';
import { jobIdOf } from './request-fields.js';

/** Default time between looks for new events. */
export const DEFAULT_WATCH_POLL_MS = 250;

/** What a watch needs. */
export interface WatchDeps {
  jobs: Pick<JobService, 'get'>;
  /** Events of a job with an id above `afterId`, oldest first (store: `jobEvents(db, jobId, afterId)`). */
  jobEvents: (jobId: string, afterId: number) => Promise<JobEvent[]>;
  /** Aborted when the server shuts down. */
  shutdown: AbortSignal;
  pollMs?: number;
}

const isFinal = (e: JobEvent) => FINAL_JOB_STATES.includes(e.to);

/** Resolve after `ms`, or at once when `signal` aborts or the client cancels. */
function pause(ms: number, signal: AbortSignal, call: grpc.ServerWritableStream<unknown, unknown>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      call.off('cancelled', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    call.once('cancelled', done);
  });
}

/** Send `events` with the job snapshot; returns the id of the last one sent and whether it was final. */
function send(call: grpc.ServerWritableStream<unknown, unknown>, events: JobEvent[], job: JobRecord): { lastId: number; final: boolean } {
  let lastId = 0;
  for (const e of events) {
    call.write({ event: eventMessage(e), job: jobMessage(job) });
    lastId = e.id;
    if (isFinal(e)) return { lastId, final: true };
  }
  return { lastId, final: false };
}

function afterIdOf(req: Request): number {
  const v = req.after_event_id;
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw DomainError.invalid('after_event_id must be a whole number ≥ 0', [{ path: 'after_event_id', message: 'expected a whole number ≥ 0' }]);
  }
  return v;
}

/** Stream the job's events until it reaches a final state, the client leaves or the server stops. */
export async function watchJob(deps: WatchDeps, principal: Principal, req: Request, call: grpc.ServerWritableStream<unknown, unknown>): Promise<void> {
  const id = jobIdOf(req);
  let lastId = afterIdOf(req);
  // Authorises (a job the caller may not see does not exist) and gives the history so far.
  const first = await deps.jobs.get(principal, id);
  const history = first.events.filter((e) => e.id > lastId);
  if (history.length === 0 && FINAL_JOB_STATES.includes(first.job.state)) return;
  let sent = send(call, history, first.job);
  lastId = Math.max(lastId, sent.lastId);
  while (!sent.final) {
    await pause(deps.pollMs ?? DEFAULT_WATCH_POLL_MS, deps.shutdown, call);
    if (call.cancelled) return;
    if (deps.shutdown.aborted) {
      throw new DomainError('unavailable', `the server is shutting down; watch again with after_event_id=${lastId} to resume`, { afterEventId: lastId });
    }
    const fresh = await deps.jobEvents(id, lastId);
    if (fresh.length === 0) continue;
    const { job } = await deps.jobs.get(principal, id);
    sent = send(call, fresh, job);
    lastId = Math.max(lastId, sent.lastId);
  }
}
