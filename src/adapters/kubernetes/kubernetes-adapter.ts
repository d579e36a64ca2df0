/**
 * The Kubernetes backend of the ClusterAdapter port. Jobs are dispatched as Indexed Jobs (dispatch.ts),
 * followed through Job and Pod informers (list-watch.ts → job-tracker.ts), and inventory is read fresh from
 * Nodes and Pods on each call, so the scheduler places on what the API server says now.
 */
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import type { ClusterAdapter, ClusterHealth, ClusterInventory, ExternalJobStatus, JobStatusListener, SubmitRequest, SubmitResult } from '../port.js';
import { ClusterUnavailableError } from '../port.js';
import type { KubernetesClusterConfig } from './config.js';
import { JobDispatcher, validateRequest } from './dispatch.js';
import { buildInventory } from './inventory.js';
import { JobTracker } from './job-tracker.js';
import { call, classify, type CallPolicy, type KubeClients } from './kube-client.js';
import { ListWatch } from './list-watch.js';
import { LABEL_JOB_ID, externalIdOf, namespaceFor } from './names.js';

/** Knobs that are not configuration: injection points for tests and the server's logger. */
export interface KubernetesAdapterOptions {
  /** Local clock for timeouts (default Date.now). */
  now?: () => number;
  log?: (msg: string) => void;
  /** Attempts per API call, transient failures retried (default 3). */
  attempts?: number;
  /** First retry delay, doubled per attempt (default 100 ms). */
  retryDelayMs?: number;
}

const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'preempted', 'lost']);

/** A Kubernetes cluster behind the port. */
export class KubernetesClusterAdapter implements ClusterAdapter {
  readonly kind = 'kubernetes' as const;
  /** The informers, exposed for tests (their counters show re-lists and reconnects). */
  readonly jobsWatch: ListWatch<V1Job>;
  readonly podsWatch: ListWatch<V1Pod>;
  private readonly tracker: JobTracker;
  private readonly dispatcher: JobDispatcher;
  private readonly policy: CallPolicy;
  private readonly now: () => number;
  private readonly log: (msg: string) => void;
  private readonly servicesEnsured = new Set<string>();
  private readonly sweepMs: number;
  private sweep: NodeJS.Timeout | undefined;
  private started = false;
  private closed = false;

  constructor(
    readonly clusterId: string,
    private readonly config: KubernetesClusterConfig,
    private readonly clients: KubeClients,
    options: KubernetesAdapterOptions = {},
  ) {
    const t = config.timeouts;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => undefined);
    this.policy = { timeoutMs: t.requestSeconds * 1000, attempts: options.attempts ?? 3, baseDelayMs: options.retryDelayMs ?? 100 };
    this.dispatcher = new JobDispatcher(clients, config, this.policy);
    const timeouts = { imagePullMs: t.imagePullSeconds * 1000, unschedulableMs: t.unschedulableSeconds * 1000, exitCodeGraceMs: t.exitCodeGraceSeconds * 1000 };
    this.tracker = new JobTracker(timeouts, this.now, (key, job) => this.retire(key, job));
    const single = config.namespaceMode === 'single' ? config.namespace : undefined;
    const { batch, core, watch } = clients;
    const common = { labelSelector: LABEL_JOB_ID, watch, watchSeconds: t.watchSeconds, backoffMaxMs: t.watchBackoffMaxSeconds * 1000, log: (m: string) => this.log(`k8s ${clusterId}: ${m}`) };
    const once = { ...this.policy, attempts: 1 };
    this.jobsWatch = new ListWatch<V1Job>({
      ...common,
      name: 'jobs',
      path: single ? `/apis/batch/v1/namespaces/${single}/jobs` : '/apis/batch/v1/jobs',
      list: () => call(once, 'list Jobs', () => (single ? batch.listNamespacedJob({ namespace: single, labelSelector: LABEL_JOB_ID }) : batch.listJobForAllNamespaces({ labelSelector: LABEL_JOB_ID }))),
      onChange: (type, job) => this.tracker.onJob(type, job),
      onResync: () => this.tracker.resync(),
    });
    this.podsWatch = new ListWatch<V1Pod>({
      ...common,
      name: 'pods',
      path: single ? `/api/v1/namespaces/${single}/pods` : '/api/v1/pods',
      list: () => call(once, 'list Pods', () => (single ? core.listNamespacedPod({ namespace: single, labelSelector: LABEL_JOB_ID }) : core.listPodForAllNamespaces({ labelSelector: LABEL_JOB_ID }))),
      onChange: (type, pod) => this.tracker.onPod(type, pod),
      onResync: () => this.tracker.resync(),
    });
    // Timeouts must fire even when nothing changes in the cluster, so the tracker is ticked.
    this.sweepMs = Math.min(5000, Math.max(50, Math.min(timeouts.imagePullMs, timeouts.unschedulableMs, timeouts.exitCodeGraceMs || Infinity) / 4));
  }

  /** Pools, nodes and free GPUs as the API server reports them now. */
  async inventory(): Promise<ClusterInventory> {
    this.assertOpen();
    const { core } = this.clients;
    const [nodes, pods] = await Promise.all([
      call(this.policy, 'list Nodes', () => core.listNode()),
      call(this.policy, 'list Pods', () => core.listPodForAllNamespaces({ fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed' })),
    ]);
    return { pools: buildInventory(nodes.items, pods.items, this.config), observedAt: this.now() };
  }

  /** Create the dispatch's Job (idempotent on the key: an existing Job with the key is returned, never a second). */
  async submit(req: SubmitRequest): Promise<SubmitResult> {
    this.assertOpen();
    validateRequest(req, this.config);
    await this.ready();
    const known = this.tracker.statusOf(req.idempotencyKey);
    const live = this.tracker.jobOf(req.idempotencyKey);
    // Seen before: answer as before. A `lost` job (its Job vanished unfinished) is created anew, like the sim.
    const answered = known && known.state !== 'lost' && !(live && req.spec.nodes > 1 && !this.servicesEnsured.has(req.idempotencyKey));
    if (answered) return { externalId: known.externalId, created: false };
    const namespace = namespaceFor(this.config, req.institutionId);
    if (this.config.namespaceMode === 'per-institution') await this.dispatcher.ensureNamespace(namespace, req.institutionId);
    const { job, created } = live ? { job: live, created: false } : await this.dispatcher.createOrAdopt(req, namespace);
    this.jobsWatch.seed(job);
    if (req.spec.nodes > 1) {
      await this.dispatcher.ensureService(req, job);
      this.servicesEnsured.add(req.idempotencyKey);
    }
    return { externalId: externalIdOf(namespace, job.metadata?.name ?? ''), created };
  }

  /** Delete a pending or running dispatch's Job; unknown and finished keys are a no-op. */
  async cancel(idempotencyKey: string): Promise<void> {
    this.assertOpen();
    await this.ready();
    const status = this.tracker.statusOf(idempotencyKey);
    const job = this.tracker.jobOf(idempotencyKey);
    if (!status || !job || FINAL.has(status.state)) return;
    await this.dispatcher.deleteJob(job);
    const verdict: ExternalJobStatus = { ...status, state: 'cancelled', endedAt: this.now() };
    delete verdict.exitCode;
    delete verdict.reason;
    this.tracker.setVerdict(idempotencyKey, verdict);
  }

  /** Statuses from the informers' cache, in the order asked; never-seen keys are omitted. */
  async status(idempotencyKeys: string[]): Promise<ExternalJobStatus[]> {
    this.assertOpen();
    await this.ready();
    return idempotencyKeys.flatMap((k) => this.tracker.statusOf(k) ?? []);
  }

  /** One dispatch by key. */
  async find(idempotencyKey: string): Promise<ExternalJobStatus | undefined> {
    this.assertOpen();
    await this.ready();
    return this.tracker.statusOf(idempotencyKey);
  }

  /** Can the API server be reached and read? Never throws. */
  async health(): Promise<ClusterHealth> {
    if (this.closed) return { ok: false, message: `kubernetes cluster ${this.clusterId} adapter is closed` };
    try {
      await call({ ...this.policy, attempts: 1 }, 'list Nodes', () => this.clients.core.listNode({ limit: 1 }));
      return { ok: true };
    } catch (e) {
      return { ok: false, message: `${this.clients.server}: ${classify(e).message}` };
    }
  }

  /** Status changes as the watches see them (hints; status() stays the truth). */
  watch(listener: JobStatusListener): () => void {
    this.start();
    return this.tracker.subscribe(listener);
  }

  /** Stop the watches and the sweep; later calls fail as unavailable. */
  async close(): Promise<void> {
    this.closed = true;
    this.jobsWatch.stop();
    this.podsWatch.stop();
    if (this.sweep) clearInterval(this.sweep);
    this.tracker.clearListeners();
  }

  private assertOpen(): void {
    if (this.closed) throw new ClusterUnavailableError(`kubernetes cluster ${this.clusterId} adapter is closed`);
  }

  private start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.jobsWatch.start();
    this.podsWatch.start();
    this.sweep = setInterval(() => this.tracker.tick(), this.sweepMs);
    this.sweep.unref();
  }

  /** Start the informers on first use and wait for their first list. */
  private async ready(): Promise<void> {
    this.start();
    const ms = this.policy.timeoutMs;
    const [jobs, pods] = await Promise.all([this.jobsWatch.whenSynced(ms), this.podsWatch.whenSynced(ms)]);
    if (!jobs || !pods) throw new ClusterUnavailableError(`kubernetes cluster ${this.clusterId}: could not list Jobs and Pods at ${this.clients.server} within ${ms} ms`);
  }

  /** A dispatch ncg has given up on (stuck image pull, unschedulable): remove its Job, retrying on the next tick. */
  private retire(key: string, job: V1Job): void {
    this.dispatcher.deleteJob(job).catch((e: unknown) => {
      if (this.closed) return;
      this.log(`k8s ${this.clusterId}: could not delete Job of ${key}: ${(e as Error).message}; retrying`);
      setTimeout(() => this.retire(key, job), this.sweepMs).unref();
    });
  }
}
