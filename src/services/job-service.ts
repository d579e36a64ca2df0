/**
 * The job service that REST and gRPC share: submit, get, list, cancel and the queue (DESIGN §3: the API
 * validates and authorises through here, the store persists). It never talks to clusters itself: after a
 * submit or cancel it pokes the control loop through `onChange`, and a running job's cancellation is handed
 * to `cancelOnCluster` after the new state is persisted (persist, then act).
 */
import { DomainError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { JobState } from '../domain/types.js';
import { jobSubmitSchema } from '../api/schemas/job-submit.js';
import { parseOrInvalid } from '../api/schemas/zod-issues.js';
import { findJobByClientKey, getJob, jobEvents, listJobs, type JobEvent, type JobRecord } from '../store/repositories/jobs.js';
import { pendingQueue } from '../store/repositories/queue.js';
import { MAX_LIMIT, listClusters, listSites, type Page, type PageRequest } from '../store/index.js';
import { checkLimit } from '../store/cursor.js';
import type { Db } from '../store/rows.js';
import { assertMayCancel, assertMayView, authorizeSubmit, needsJobSite, scopeJobFilter, scopeQueueFilter, type JobScope } from './job-access.js';
import { siteOfCluster } from '../store/repositories/clusters.js';
import { nextJobId } from './job-ids.js';
import { checkIdempotencyKey, keyReused, sameSpec, toJobSpec } from './job-submission.js';
import { pendingInfo, type PendingInfo } from './pending-info.js';
import { PoolCatalog } from './pool-catalog.js';
import { ProjectDirectory } from './project-directory.js';
import { checkSatisfiable } from './satisfiable.js';
import { SubmitBatcher, type BatcherOptions } from './submit-batcher.js';
import { CancelFlow, type CancelHooks, type CancelResult } from './job-cancel.js';

/** Why the control loop is poked. */
export type JobChangeReason = 'submit' | 'cancel';

/** Hooks the control loop provides; both optional (an API-only replica has neither). */
export interface JobServiceHooks extends CancelHooks {
  /** Called after a job was created or cancelled: trigger a scheduling cycle. Must not throw (errors are logged). */
  onChange?: (reason: JobChangeReason) => void;
}

/** Construction options. */
export interface JobServiceOptions extends JobServiceHooks {
  db: Db;
  /**
   * The grid's clock, for the times stamped on jobs (submitted, cancelled): the control loop's clock, which on
   * simulated clusters runs at NCG_SIM_SPEED, so submit, start and end times of one job share one timeline.
   */
  now?: () => number;
  /** Wall clock for cache lifetimes (default Date.now): a fast simulated clock must not expire caches early. */
  cacheNow?: () => number;
  log?: { warn(obj: object, msg: string): void };
  /** Lifetime of cached projects, memberships and the pool catalogue (default 30 s). */
  cacheTtlMs?: number;
  /** Group commit of concurrent submissions (src/services/submit-batcher.ts). */
  batching?: BatcherOptions;
}

/** A job and whether this call created it. */
export interface SubmitResult {
  job: JobRecord;
  created: boolean;
}

/** A job with its history and, while it waits, why. */
export interface JobDetail {
  job: JobRecord;
  events: JobEvent[];
  pending?: PendingInfo;
}

/** A job as listed: no events. */
export interface JobSummary {
  job: JobRecord;
  pending?: PendingInfo;
}

/** Listing filter; `states` as given by the caller (checked here). */
export interface JobListFilter extends JobScope {
  states?: string[];
}

/** Queue filter and size. */
export interface QueueFilter extends JobScope {
  limit?: number;
}

/** The pending queue in priority order. */
export interface QueueResult {
  items: { job: JobRecord; pending: PendingInfo }[];
  /** Pending jobs matching the filter in all (items may be fewer, see `limit`). */
  total: number;
}

const ALL_STATES: readonly JobState[] = ['queued', 'dispatching', 'running', 'succeeded', 'failed', 'cancelled', 'preempted'];

export type { CancelResult } from './job-cancel.js';

/** Submit, read, list and cancel jobs on behalf of a principal. */
export class JobService {
  private readonly db: Db;
  private readonly now: () => number;
  private readonly hooks: JobServiceHooks;
  private readonly projects: ProjectDirectory;
  private readonly catalog: PoolCatalog;
  private readonly cancelFlow: CancelFlow;
  private readonly batcher: SubmitBatcher;

  constructor(private readonly opts: JobServiceOptions) {
    this.db = opts.db;
    this.now = opts.now ?? Date.now;
    this.hooks = { onChange: opts.onChange, cancelOnCluster: opts.cancelOnCluster };
    const ttl = opts.cacheTtlMs ?? 30_000;
    const cacheNow = opts.cacheNow ?? Date.now;
    this.projects = new ProjectDirectory(this.db, ttl, cacheNow);
    this.catalog = new PoolCatalog(async () => ({ clusters: await listClusters(this.db), siteIds: (await listSites(this.db)).map((s) => s.id) }), ttl, cacheNow);
    this.cancelFlow = new CancelFlow(this.db, this.now, this.hooks, opts.log);
    this.batcher = new SubmitBatcher(this.db, opts.batching);
  }

  /** Attach the control loop's hooks after construction (main.ts may build the loop later). */
  setHooks(hooks: JobServiceHooks): void {
    Object.assign(this.hooks, hooks);
  }

  /** Forget cached inventory, projects and memberships (call on cluster, pool or project changes). */
  invalidateCaches(): void {
    this.catalog.invalidate();
    this.projects.clear();
  }

  /**
   * Validate, authorise and queue a job. With an idempotency key, a retry returns the job the first
   * attempt made (`created: false`); the same key with a different body is a 409.
   */
  async submit(principal: Principal, body: unknown, idempotencyKey?: string): Promise<SubmitResult> {
    const input = parseOrInvalid(jobSubmitSchema, body, 'job submission');
    const key = checkIdempotencyKey(idempotencyKey);
    const [project, catalog] = await Promise.all([this.projects.project(input.project), this.catalog.current()]);
    await authorizeSubmit(principal, project, () => this.projects.isMember(project.id, principal.userId));
    const gpuTypes = checkSatisfiable(catalog, { gpuTypes: Array.isArray(input.gpuType) ? input.gpuType : [input.gpuType], nodes: input.nodes, gpusPerNode: input.gpusPerNode, ...(input.preferredSite ? { preferredSiteId: input.preferredSite } : {}) });
    const spec = toJobSpec(input, gpuTypes);
    const now = this.now();
    const job = await this.batcher.submit({ id: nextJobId(now), institutionId: project.institutionId, userId: principal.userId, spec, submittedAt: now, ...(key ? { clientKey: key } : {}), audit: submitAudit(principal) });
    if (job) {
      this.changed('submit');
      return { job, created: true };
    }
    const existing = key === undefined ? undefined : await findJobByClientKey(this.db, principal.userId, key);
    if (!existing) throw new DomainError('conflict', 'the job could not be recorded because of a concurrent change; retry the request');
    if (!sameSpec(existing.spec, spec)) throw keyReused(key!, existing.id);
    return { job: existing, created: false };
  }

  /** One job with its events and, while pending, its reason, queue position and estimated start. */
  async get(principal: Principal, id: string): Promise<JobDetail> {
    const [job, events] = await Promise.all([getJob(this.db, id), jobEvents(this.db, id)]);
    // Operators see jobs by where they run: look the cluster's site up only for them.
    const siteId = needsJobSite(principal) && job.clusterId ? await siteOfCluster(this.db, job.clusterId) : undefined;
    assertMayView(principal, job, siteId);
    const pending = pendingInfo(job);
    return pending ? { job, events, pending } : { job, events };
  }

  /** A page of jobs, newest first, narrowed to what the principal may see. */
  async list(principal: Principal, filter: JobListFilter, page: PageRequest = {}): Promise<Page<JobSummary>> {
    const scoped = scopeJobFilter(principal, { institutionId: filter.institutionId, projectId: filter.projectId, userId: filter.userId });
    const states = checkStates(filter.states);
    const result = await listJobs(this.db, { ...scoped, ...(states ? { states } : {}) }, page);
    const out: Page<JobSummary> = { items: result.items.map(summary) };
    if (result.nextCursor) out.nextCursor = result.nextCursor;
    return out;
  }

  /** Cancel a job (idempotent): a final job comes back unchanged with `changed: false`. */
  async cancel(principal: Principal, id: string): Promise<CancelResult> {
    const job = await getJob(this.db, id);
    assertMayCancel(principal, job);
    const result = await this.cancelFlow.cancel(job, principal);
    if (result.changed) this.changed('cancel');
    return result;
  }

  /** Pending jobs in priority order with their factor breakdown; jobs no cycle has seen yet come last. */
  async queue(principal: Principal, filter: QueueFilter = {}): Promise<QueueResult> {
    const scoped = scopeQueueFilter(principal, { institutionId: filter.institutionId, projectId: filter.projectId, userId: filter.userId });
    const slice = await pendingQueue(this.db, scoped, checkLimit(filter.limit ?? MAX_LIMIT));
    return { items: slice.items.map((job) => ({ job, pending: pendingInfo(job)! })), total: slice.total };
  }

  private changed(reason: JobChangeReason): void {
    try {
      this.hooks.onChange?.(reason);
    } catch (err) {
      this.opts.log?.warn({ err, reason }, 'onChange hook failed; the next timed cycle picks the change up');
    }
  }
}

function summary(job: JobRecord): JobSummary {
  const pending = pendingInfo(job);
  return pending ? { job, pending } : { job };
}

function checkStates(states: string[] | undefined): JobState[] | undefined {
  if (!states || states.length === 0) return undefined;
  const bad = states.filter((s) => !(ALL_STATES as readonly string[]).includes(s));
  if (bad.length > 0) {
    throw DomainError.invalid(`unknown job state ${bad.map((s) => JSON.stringify(s.slice(0, 40))).join(', ')}; states are ${ALL_STATES.join(', ')}`, [{ path: 'state', message: 'unknown state' }]);
  }
  return states as JobState[];
}

/** Who submits, for the audit row the submit statement writes with the job (no extra round trip). */
function submitAudit(p: Principal): { tokenId?: string; clientAddress?: string } {
  return { ...(p.tokenId !== undefined ? { tokenId: p.tokenId } : {}), ...(p.address !== undefined ? { clientAddress: p.address } : {}) };
}
