/**
 * A simulated cluster behind the ClusterAdapter port: typed GPUs on nodes in pools, jobs that hold their
 * GPUs for their simulated run, honour walltime and end with their exit code, on an injectable clock,
 * with fault switches for fault tests and a dcgm-exporter-shaped view of every GPU.
 */
import type { ClusterAdapter, ClusterHealth, ClusterInventory, ExternalJobStatus, JobStatusListener, SubmitRequest, SubmitResult } from '../port.js';
import { ClusterUnavailableError } from '../port.js';
import { ScaledClock, type SimClock } from './clock.js';
import { renderDcgmExposition, type DcgmJobLabelStyle, type GpuSample } from './dcgm-metrics.js';
import { collectGpuSamples } from './gpu-samples.js';
import { SimFaults } from './faults.js';
import { SimNodes, type SimNodeHealth, type SimPoolSpec } from './nodes.js';
import { isFinal, lostStatus, planEnd, toStatus, utilOf, validateRequest, type JobEnd, type SimJob, type SimJobDefaults } from './sim-job.js';

/** How to build a sim cluster. */
export interface SimClusterOptions {
  clusterId: string;
  pools: readonly SimPoolSpec[];
  /** Time source; default a ScaledClock at `speed` (owned, and closed with the cluster). */
  clock?: SimClock;
  /** Simulated seconds per real second when no clock is given (NCG_SIM_SPEED); default 1. */
  speed?: number;
  /** Run time of a job without a `sim` block; default 600 s (config `sim.defaultDurationSeconds`). */
  defaultDurationSeconds?: number;
  /** GPU utilisation of a job without `sim.gpuUtilPct`; default 85 %. */
  defaultGpuUtilPct?: number;
  /** Job labels on the dcgm metrics; default `hpc_job` (carrying the ncg job id). */
  jobLabelStyle?: DcgmJobLabelStyle;
  /** Namespace label for the `kubernetes` style; default `ncg`. */
  namespace?: string;
}

/** The sim backend: a real, in-process implementation of the port (not a mock). */
export class SimClusterAdapter implements ClusterAdapter {
  readonly kind = 'sim' as const;
  readonly clusterId: string;
  readonly clock: SimClock;
  /** Fault switches: unreachable, refuse, loseNext, dropNextAck, latency. */
  readonly faults: SimFaults;
  private readonly nodes: SimNodes;
  private readonly defaults: SimJobDefaults;
  private readonly labelStyle: DcgmJobLabelStyle;
  private readonly namespace: string;
  private readonly ownsClock: boolean;
  private readonly jobs = new Map<string, SimJob>();
  private readonly lost = new Map<string, string>();
  private readonly submissions = new Map<string, number>();
  private readonly creations = new Map<string, number>();
  private readonly listeners = new Set<JobStatusListener>();
  private seq = 0;
  private closed = false;

  constructor(options: SimClusterOptions) {
    this.clusterId = options.clusterId;
    this.ownsClock = !options.clock;
    this.clock = options.clock ?? new ScaledClock({ speed: options.speed ?? 1 });
    this.faults = new SimFaults(options.clusterId);
    this.nodes = new SimNodes(options.clusterId, options.pools);
    this.defaults = { durationSeconds: options.defaultDurationSeconds ?? 600, gpuUtilPct: options.defaultGpuUtilPct ?? 85 };
    this.labelStyle = options.jobLabelStyle ?? 'hpc_job';
    this.namespace = options.namespace ?? 'ncg';
  }

  /** Pools, nodes and free GPUs now. */
  async inventory(): Promise<ClusterInventory> {
    await this.gate('inventory');
    return { pools: this.nodes.inventory(), observedAt: this.clock.now() };
  }

  /** Start a job on the given nodes at once; idempotent on the key (a forgotten job is created anew). */
  async submit(req: SubmitRequest): Promise<SubmitResult> {
    await this.gate('submit');
    const key = req.idempotencyKey;
    this.submissions.set(key, (this.submissions.get(key) ?? 0) + 1);
    const existing = this.jobs.get(key);
    if (existing) return { externalId: existing.externalId, created: false };
    this.faults.checkRefuse();
    const pool = this.nodes.pool(req.poolName);
    if (pool) validateRequest(req, pool.gpuType);
    const placement = this.nodes.place(key, req.poolName, req.nodeNames, req.spec.gpusPerNode);
    const job = this.start(req, placement);
    if (this.faults.takeLoseNext()) this.loseJob(key);
    if (this.faults.takeDropAck()) throw new ClusterUnavailableError(`sim cluster ${this.clusterId}: connection reset before the reply to submit ${key} (fault injected)`);
    return { externalId: job.externalId, created: true };
  }

  /** Cancel a running job; finished, lost and unknown keys are a no-op. */
  async cancel(idempotencyKey: string): Promise<void> {
    await this.gate('cancel');
    const job = this.jobs.get(idempotencyKey);
    if (job && !isFinal(job.state)) this.finish(job, { at: this.clock.now(), state: 'cancelled' });
  }

  /** Status of known and forgotten (`lost`) jobs, in the order asked; never-seen keys are omitted. */
  async status(idempotencyKeys: string[]): Promise<ExternalJobStatus[]> {
    await this.gate('status');
    return idempotencyKeys.flatMap((k) => this.statusOf(k) ?? []);
  }

  /** One job by key. */
  async find(idempotencyKey: string): Promise<ExternalJobStatus | undefined> {
    await this.gate('find');
    return this.statusOf(idempotencyKey);
  }

  /** Not ok while unreachable or closed; never throws (it is the probe). */
  async health(): Promise<ClusterHealth> {
    if (this.closed) return { ok: false, message: `sim cluster ${this.clusterId} is closed` };
    if (this.faults.isUnreachable()) return { ok: false, message: `sim cluster ${this.clusterId} is unreachable (fault injected)` };
    return { ok: true };
  }

  /** Job state changes as they happen (suppressed while unreachable, like a broken watch). */
  watch(listener: JobStatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stop every timer; later calls fail as unavailable. Jobs keep the state they had. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.jobs.values()) if (job.timer !== undefined) this.clock.cancel(job.timer);
    this.listeners.clear();
    if (this.ownsClock) this.clock.close();
  }

  /** Fault: the cluster forgets a job (its GPUs are freed); status reports it `lost`. False if unknown. */
  loseJob(idempotencyKey: string): boolean {
    const job = this.jobs.get(idempotencyKey);
    if (!job) return false;
    if (job.timer !== undefined) this.clock.cancel(job.timer);
    this.nodes.release(job.key, job.placement);
    this.jobs.delete(job.key);
    this.lost.set(job.key, job.externalId);
    this.emit(lostStatus(job.key, job.externalId));
    return true;
  }

  /** Mark a node `up`, `drained` (running jobs finish, nothing new) or `down` (its jobs fail with `node_fail`). */
  setNodeHealth(nodeName: string, health: SimNodeHealth): void {
    const node = this.nodes.get(nodeName);
    if (!node) throw new Error(`sim cluster ${this.clusterId} has no node ${nodeName}`);
    node.health = health;
    if (health !== 'down') return;
    for (const job of this.jobs.values()) {
      if (!isFinal(job.state) && job.placement.some((p) => p.node === nodeName)) this.finish(job, { at: this.clock.now(), state: 'failed', reason: 'node_fail' });
    }
  }

  /** How many submit calls reached the cluster for this key (duplicates included). */
  submissionCount(idempotencyKey: string): number {
    return this.submissions.get(idempotencyKey) ?? 0;
  }

  /** How many jobs were actually started for this key: more than 1 means it was dispatched twice. */
  createdCount(idempotencyKey: string): number {
    return this.creations.get(idempotencyKey) ?? 0;
  }

  /** Every job the cluster knows, plus forgotten ones as `lost` (test and debugging view). */
  listJobs(): ExternalJobStatus[] {
    return [...[...this.jobs.values()].map(toStatus), ...[...this.lost].map(([k, id]) => lostStatus(k, id))];
  }

  /** Names of the nodes, optionally of one pool. */
  nodeNames(poolName?: string): string[] {
    return this.nodes.all().filter((n) => poolName === undefined || n.poolName === poolName).map((n) => n.name);
  }

  /** Every GPU now, with utilisation, memory and the labels of the job holding it. */
  gpuSamples(): GpuSample[] {
    return collectGpuSamples(this.clusterId, this.nodes.all(), (key) => this.jobs.get(key), { style: this.labelStyle, namespace: this.namespace });
  }

  /** This cluster's GPUs as dcgm-exporter would print them. */
  renderDcgmMetrics(): string {
    return renderDcgmExposition(this.gpuSamples());
  }

  private statusOf(key: string): ExternalJobStatus | undefined {
    const job = this.jobs.get(key);
    if (job) return toStatus(job);
    const lostId = this.lost.get(key);
    return lostId === undefined ? undefined : lostStatus(key, lostId);
  }

  private async gate(operation: string): Promise<void> {
    if (this.closed) throw new ClusterUnavailableError(`sim cluster ${this.clusterId} is closed`);
    await this.faults.gate(operation);
  }

  private start(req: SubmitRequest, placement: SimJob['placement']): SimJob {
    const startedAt = this.clock.now();
    const job: SimJob = { key: req.idempotencyKey, externalId: `${this.clusterId}-${String(++this.seq).padStart(6, '0')}`, req, state: 'running', startedAt, placement, gpuUtilPct: utilOf(req, this.defaults) };
    this.jobs.set(job.key, job);
    this.lost.delete(job.key);
    this.creations.set(job.key, (this.creations.get(job.key) ?? 0) + 1);
    const end = planEnd(req, startedAt, this.defaults);
    job.timer = this.clock.schedule(end.at, () => this.finish(job, end));
    this.emit(toStatus(job));
    return job;
  }

  /** End a run: record how, free the GPUs, tell the watchers. */
  private finish(job: SimJob, end: JobEnd): void {
    if (isFinal(job.state) || this.jobs.get(job.key) !== job) return;
    if (job.timer !== undefined) this.clock.cancel(job.timer);
    job.timer = undefined;
    job.state = end.state;
    job.endedAt = end.at;
    if (end.exitCode !== undefined) job.exitCode = end.exitCode;
    if (end.reason !== undefined) job.reason = end.reason;
    this.nodes.release(job.key, job.placement);
    this.emit(toStatus(job));
  }

  private emit(status: ExternalJobStatus): void {
    if (this.faults.isUnreachable()) return;
    for (const listener of this.listeners) {
      try {
        listener(status);
      } catch {
        // A failing listener must not break the cluster's own bookkeeping; the loop still polls status().
      }
    }
  }
}
