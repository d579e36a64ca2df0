/**
 * Writing to the cluster: create a dispatch's Job (and namespace and headless Service), adopt it when a
 * retry finds it already there, and delete it. The Job name is deterministic, so the API server's
 * `409 AlreadyExists` is the guard against a second Job: a Job carrying the same idempotency key is the one
 * this dispatch made (adopted); one carrying another key is an earlier dispatch still holding the name.
 */
import type { V1Job } from '@kubernetes/client-node';
import type { SubmitRequest } from '../port.js';
import { ClusterRefusedError, ClusterUnavailableError } from '../port.js';
import type { KubernetesClusterConfig } from './config.js';
import { call, isStatus, toPortError, type CallPolicy, type KubeClients } from './kube-client.js';
import { keyOfJob } from './job-tracker.js';
import { buildJob, buildNamespace, buildService } from './manifests.js';
import { jobName } from './names.js';

/** A created or adopted Job. */
export interface Dispatched {
  job: V1Job;
  /** True when this call (or a retry of it that lost its answer) created the Job. */
  created: boolean;
}

/** Refuse requests that no Kubernetes cluster could run, before anything is written. */
export function validateRequest(req: SubmitRequest, config: KubernetesClusterConfig): void {
  const { spec } = req;
  const bad = (msg: string): never => {
    throw new ClusterRefusedError(`job ${req.jobId}: ${msg}`);
  };
  if (!Number.isInteger(spec.nodes) || spec.nodes < 1) bad(`nodes must be a whole number ≥ 1, got ${spec.nodes}`);
  if (!Number.isInteger(spec.gpusPerNode) || spec.gpusPerNode < 0) bad(`gpusPerNode must be a whole number ≥ 0, got ${spec.gpusPerNode}`);
  if (!(spec.walltimeSeconds > 0)) bad(`walltimeSeconds must be > 0, got ${spec.walltimeSeconds}`);
  if (!(spec.cpusPerNode > 0) || !(spec.memoryGbPerNode > 0)) bad('cpusPerNode and memoryGbPerNode must be > 0');
  if (config.pinNodes && req.nodeNames.length !== spec.nodes) bad(`asks for ${spec.nodes} nodes but ${req.nodeNames.length} were given`);
  if (new Set(req.nodeNames).size !== req.nodeNames.length) bad(`node list repeats a node: ${req.nodeNames.join(', ')}`);
}

/** Creates and deletes ncg's objects through the official client. */
export class JobDispatcher {
  private readonly knownNamespaces = new Set<string>();

  constructor(
    private readonly clients: KubeClients,
    private readonly config: KubernetesClusterConfig,
    private readonly policy: CallPolicy,
  ) {}

  /** Create the namespace if it does not exist (per-institution mode); remembered once seen. */
  async ensureNamespace(namespace: string, institutionId: string): Promise<void> {
    if (this.knownNamespaces.has(namespace)) return;
    const { core } = this.clients;
    try {
      await call(this.policy, `read namespace ${namespace}`, () => core.readNamespace({ name: namespace }));
    } catch (e) {
      if (!isStatus(e, 404)) throw toPortError(e, `read namespace ${namespace}`);
      try {
        await call(this.policy, `create namespace ${namespace}`, () => core.createNamespace({ body: buildNamespace(namespace, institutionId) }));
      } catch (e2) {
        // Another replica (or a lost answer of ours) created it first: that is the outcome we wanted.
        if (!isStatus(e2, 409)) throw toPortError(e2, `create namespace ${namespace}`);
      }
    }
    this.knownNamespaces.add(namespace);
  }

  /** Create the Job, or adopt the one a previous attempt of this dispatch created. */
  async createOrAdopt(req: SubmitRequest, namespace: string): Promise<Dispatched> {
    const { batch } = this.clients;
    const name = jobName(req.jobId);
    const what = `create Job ${namespace}/${name}`;
    let lostAnswer = false;
    try {
      const job = await call(this.policy, what, () => batch.createNamespacedJob({ namespace, body: buildJob(req, namespace, this.config) }), () => (lostAnswer = true));
      return { job, created: true };
    } catch (e) {
      if (!isStatus(e, 409)) throw toPortError(e, what);
    }
    const existing = await this.readJob(namespace, name);
    if (!existing) throw new ClusterUnavailableError(`${what}: the name was taken, then freed; retry`);
    const key = keyOfJob(existing);
    if (key === req.idempotencyKey) return { job: existing, created: lostAnswer };
    if (key === undefined) throw new ClusterRefusedError(`${what}: a Job not made by ncg already has this name`);
    // An earlier dispatch of this job still holds the name. If it has finished, clear it away; either way
    // this attempt must wait, because running the same job twice is worse than starting it a little later.
    const finished = (existing.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
    if (finished && !existing.metadata?.deletionTimestamp) await this.deleteJob(existing);
    throw new ClusterUnavailableError(`${what}: Job still held by earlier dispatch ${key}${finished ? ' (finished; now deleted)' : ''}; retry later`);
  }

  /** The headless Service of a multi-node job, owned by its Job (409: it is there already). */
  async ensureService(req: SubmitRequest, job: V1Job): Promise<void> {
    const namespace = job.metadata?.namespace ?? '';
    const uid = job.metadata?.uid;
    if (!uid) throw new ClusterUnavailableError(`Job ${namespace}/${job.metadata?.name} has no uid yet`);
    const what = `create Service ${namespace}/${job.metadata?.name}`;
    try {
      await call(this.policy, what, () => this.clients.core.createNamespacedService({ namespace, body: buildService(req, namespace, this.config, { uid }) }));
    } catch (e) {
      if (!isStatus(e, 409)) throw toPortError(e, what);
    }
  }

  /** A Job by name, or undefined on 404. */
  async readJob(namespace: string, name: string): Promise<V1Job | undefined> {
    try {
      return await call(this.policy, `read Job ${namespace}/${name}`, () => this.clients.batch.readNamespacedJob({ name, namespace }));
    } catch (e) {
      if (isStatus(e, 404)) return undefined;
      throw toPortError(e, `read Job ${namespace}/${name}`);
    }
  }

  /**
   * Delete this incarnation of a Job (uid precondition: never a newer Job of the same name) with its pods in
   * the background, and its Service. 404 and a failed precondition both mean it is already gone.
   */
  async deleteJob(job: V1Job): Promise<void> {
    const namespace = job.metadata?.namespace ?? '';
    const name = job.metadata?.name ?? '';
    const uid = job.metadata?.uid;
    // batch/v1 Jobs default to orphaning their pods on delete; Background removes them too.
    const body = { propagationPolicy: 'Background', ...(uid ? { preconditions: { uid } } : {}) };
    try {
      await call(this.policy, `delete Job ${namespace}/${name}`, () => this.clients.batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background', body }));
    } catch (e) {
      if (!isStatus(e, 404) && !isStatus(e, 409)) throw toPortError(e, `delete Job ${namespace}/${name}`);
    }
    if ((job.spec?.completions ?? 1) > 1) {
      try {
        await call(this.policy, `delete Service ${namespace}/${name}`, () => this.clients.core.deleteNamespacedService({ name, namespace }));
      } catch (e) {
        if (!isStatus(e, 404)) throw toPortError(e, `delete Service ${namespace}/${name}`);
      }
    }
  }
}
