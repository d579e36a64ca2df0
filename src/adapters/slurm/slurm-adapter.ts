/**
 * The Slurm backend of the ClusterAdapter port, over slurmrestd. Reads (nodes, partitions, jobs) and
 * cancels act as the configured operator user; submissions act as the job's mapped Unix user.
 * Idempotency lives in Slurm itself: each job's comment carries its key, and every submit first looks the
 * key up, so neither a retry nor a new leader after a crash can make a second job.
 */
import type { ClusterAdapter, ClusterHealth, ClusterInventory, ExternalJobStatus, SubmitRequest, SubmitResult } from '../port.js';
import { resolveAccount } from './accounts.js';
import { chooseVersion, offeredVersions, openApiPath } from './api-version.js';
import { SlurmCredentials } from './auth.js';
import type { SlurmClusterConfig } from './config.js';
import { Backoff, SlurmErrno, SlurmRefusedError, SlurmUnavailableError, SlurmVersionError } from './errors.js';
import { SlurmHttpClient } from './http-client.js';
import { buildPools } from './inventory.js';
import { decodeJobComment } from './job-comment.js';
import { isFinalExternalState, toExternalStatus, wasRejectedAtSubmit } from './job-status.js';
import { KeyLock } from './key-lock.js';
import type { SlurmApiMapping, SlurmJob } from './model.js';
import { SeenJobs } from './seen-jobs.js';
import { SubmitPlanError, buildSubmitPlan, type PlanPool } from './submit-plan.js';

/** Test seams: a crash between Slurm accepting a job and the adapter acknowledging it. */
export interface SlurmFaults {
  /** Called after slurmrestd accepted a submission, before submit() returns; a throw simulates a crash. */
  afterSubmitAccepted?(req: SubmitRequest, externalId: string): void | Promise<void>;
}

/** What the adapter may be given instead of the real world. */
export interface SlurmAdapterDeps {
  fetch?: typeof fetch;
  /** Wall clock in epoch ms (token expiry). */
  now?: () => number;
  faults?: SlurmFaults;
}

/** A Slurm cluster behind slurmrestd. */
export class SlurmAdapter implements ClusterAdapter {
  readonly kind = 'slurm' as const;
  /** How often the control loop should call status(); finished jobs vanish from Slurm after MinJobAge. */
  readonly pollIntervalMs: number;
  private readonly http: SlurmHttpClient;
  private readonly credentials: SlurmCredentials;
  private mapping?: SlurmApiMapping;
  private readonly pools = new Map<string, PlanPool>();
  private readonly seen: SeenJobs;
  private readonly keyLock = new KeyLock();

  constructor(
    readonly clusterId: string,
    private readonly config: SlurmClusterConfig,
    private readonly deps: SlurmAdapterDeps = {},
  ) {
    this.pollIntervalMs = config.pollIntervalSeconds * 1000;
    this.seen = new SeenJobs(() => this.now());
    this.credentials = new SlurmCredentials(config.auth, deps.now ?? Date.now);
    this.http = new SlurmHttpClient({
      baseUrl: config.url,
      credentials: this.credentials,
      timeoutMs: config.requestTimeoutSeconds * 1000,
      backoff: new Backoff(config.backoff.initialSeconds * 1000, config.backoff.maxSeconds * 1000),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
  }

  /** Pools (partitions), nodes and free GPUs now. */
  async inventory(): Promise<ClusterInventory> {
    const api = await this.api();
    const op = this.credentials.operator;
    const [nodesRes, partsRes] = await Promise.all([this.http.request('GET', api.paths.nodes, { as: op }), this.http.request('GET', api.paths.partitions, { as: op })]);
    const nodes = this.read(() => api.readNodes(this.http.expectOk(nodesRes, 'list nodes')));
    const partitions = this.read(() => api.readPartitions(this.http.expectOk(partsRes, 'list partitions')));
    const built = buildPools(nodes, partitions, { defaultGpuType: this.config.defaultGpuType, ...(this.config.partitions ? { partitions: this.config.partitions } : {}) });
    this.pools.clear();
    for (const p of built.pools) this.pools.set(p.name, { gpuType: p.gpuType, typedGres: built.typedGres.get(p.name) ?? true });
    return { pools: built.pools, observedAt: this.now() };
  }

  /** Submit once per idempotency key: an existing job carrying the key is returned instead. */
  submit(req: SubmitRequest): Promise<SubmitResult> {
    return this.keyLock.run(req.idempotencyKey, async () => {
      // A key this adapter already submitted or saw needs no lookup: same key, same job.
      const seen = this.seen.get(req.idempotencyKey);
      if (seen) return { externalId: seen.externalId, created: false };
      const api = await this.api();
      const existing = (await this.jobsByKey(api, { withRejected: true })).get(req.idempotencyKey);
      if (existing && wasRejectedAtSubmit(existing)) {
        // The same request again gets the same answer, without leaving a second rejected record.
        throw new SlurmRefusedError(`cluster ${this.clusterId}: Slurm rejected this submission before (job ${existing.jobId}: ${existing.stateReason})`);
      }
      if (existing) {
        this.seen.remember(toExternalStatus(existing, req.idempotencyKey));
        return { externalId: existing.jobId, created: false };
      }
      const plan = await this.plan(req);
      const res = await this.http.request('POST', api.paths.submit, { as: plan.user, body: api.submitBody(plan) });
      const externalId = this.read(() => api.readSubmittedJobId(this.http.expectOk(res, `submit ncg job ${req.jobId}`)));
      this.seen.remember({ idempotencyKey: req.idempotencyKey, externalId, state: 'pending' });
      await this.deps.faults?.afterSubmitAccepted?.(req, externalId);
      return { externalId, created: true };
    });
  }

  /** Cancel the job of a key; unknown and finished jobs are left alone. */
  async cancel(idempotencyKey: string): Promise<void> {
    const api = await this.api();
    const job = (await this.jobsByKey(api)).get(idempotencyKey);
    if (!job || isFinalExternalState(toExternalStatus(job, idempotencyKey).state)) return;
    const res = await this.http.request('DELETE', api.paths.job(job.jobId), { as: this.credentials.operator });
    // Gone or finished in the meantime: the cancel has nothing left to do.
    if (res.errors.some((e) => e.code === SlurmErrno.invalidJobId || e.code === SlurmErrno.alreadyDone)) return this.http.answered();
    this.http.expectOk(res, `cancel Slurm job ${job.jobId}`);
  }

  /** Status by key: jobs Slurm no longer knows come back `lost` if they had not finished, their last state if they had. */
  async status(idempotencyKeys: string[]): Promise<ExternalJobStatus[]> {
    const jobs = await this.jobsByKey(await this.api());
    const out: ExternalJobStatus[] = [];
    for (const key of idempotencyKeys) {
      const job = jobs.get(key);
      const status = job ? toExternalStatus(job, key) : this.seen.missing(key);
      if (!status) continue;
      this.seen.remember(status);
      out.push(status);
    }
    this.seen.prune();
    return out;
  }

  /** Look a key up (after a crash between persisting a dispatch and its acknowledgement). */
  async find(idempotencyKey: string): Promise<ExternalJobStatus | undefined> {
    return (await this.status([idempotencyKey]))[0];
  }

  /** slurmrestd reachable, speaking a supported version, and slurmctld answering its ping. */
  async health(): Promise<ClusterHealth> {
    try {
      const api = await this.api();
      const res = await this.http.request('GET', api.paths.ping, { as: this.credentials.operator });
      const body = this.http.expectOk(res, 'ping');
      if (!api.pingOk(body)) return { ok: false, message: 'slurmrestd answers but slurmctld is not UP' };
      return { ok: true, message: `slurmrestd v${api.version}, slurmctld UP` };
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
  }

  /** Nothing is held open between calls (fetch pools its own sockets). */
  async close(): Promise<void> {
    this.seen.clear();
    this.pools.clear();
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** The version mapping, detected once from `/openapi/v3` (retried on the next call if that fails). */
  private async api(): Promise<SlurmApiMapping> {
    if (this.mapping) return this.mapping;
    const res = await this.http.request('GET', openApiPath, { as: this.credentials.operator });
    const chosen = chooseVersion(this.config.apiVersion, offeredVersions(this.http.expectOk(res, 'read OpenAPI document')));
    if (!chosen.ok) throw new SlurmVersionError(`cluster ${this.clusterId}: ${chosen.message}`, this.config.backoff.maxSeconds * 1000);
    this.mapping = chosen.mapping;
    return chosen.mapping;
  }

  /**
   * ncg's jobs in Slurm by idempotency key; with duplicates (never made by ncg) the oldest wins. Records of
   * rejected submissions are left out unless asked for: to status and find they are no job at all.
   */
  private async jobsByKey(api: SlurmApiMapping, opts: { withRejected?: boolean } = {}): Promise<Map<string, SlurmJob>> {
    const res = await this.http.request('GET', api.paths.jobs, { as: this.credentials.operator });
    const jobs = this.read(() => api.readJobs(this.http.expectOk(res, 'list jobs')));
    const byKey = new Map<string, SlurmJob>();
    for (const job of jobs.sort((a, b) => Number(a.jobId) - Number(b.jobId))) {
      const tag = decodeJobComment(job.comment);
      if (!tag || byKey.has(tag.idempotencyKey)) continue;
      if (opts.withRejected || !wasRejectedAtSubmit(job)) byKey.set(tag.idempotencyKey, job);
    }
    return byKey;
  }

  private async plan(req: SubmitRequest) {
    if (!this.pools.has(req.poolName)) await this.inventory();
    const pool = this.pools.get(req.poolName);
    if (!pool) throw new SlurmRefusedError(`cluster ${this.clusterId} has no pool ${req.poolName} (pools: ${[...this.pools.keys()].join(', ') || 'none'})`);
    const who = resolveAccount(this.config, req);
    if (!who) throw new SlurmRefusedError(`cluster ${this.clusterId}: no Slurm account mapping for user ${req.userId} or institution ${req.institutionId}`);
    try {
      return buildSubmitPlan(req, pool, who, { containerRuntime: this.config.containerRuntime, environment: this.config.environment, pinNodes: this.config.pinNodes });
    } catch (e) {
      if (e instanceof SubmitPlanError) throw new SlurmRefusedError(`cluster ${this.clusterId}: ${e.message}`);
      throw e;
    }
  }

  /** An answer that does not have the version's shape means the server is not what we think it is. */
  private read<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof SlurmRefusedError || e instanceof SlurmUnavailableError) throw e;
      throw new SlurmUnavailableError(`cluster ${this.clusterId}: ${(e as Error).message}`, this.config.backoff.maxSeconds * 1000);
    }
  }
}
