/**
 * ncg's view of its Jobs, fed by the Job and Pod informers: the status of each dispatch by idempotency key,
 * what survives a Job's deletion (its last final status, or `lost` if it vanished unfinished), the verdicts
 * ncg itself reached (cancelled; failed on a stuck image pull; given back when unschedulable too long), and
 * every change told to watchers once. Time enters only through `now`, so timeouts are local observations,
 * immune to clock skew between ncg and the API server.
 */
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import type { ExternalJobStatus, JobStatusListener } from '../port.js';
import { readJob, type JobProblem } from './job-status.js';
import { ANNOTATION_IDEMPOTENCY_KEY, externalIdOf } from './names.js';
import type { CacheChange } from './list-watch.js';

/** How long problems may last before they become verdicts (ms). */
export interface TrackerTimeouts {
  imagePullMs: number;
  unschedulableMs: number;
  exitCodeGraceMs: number;
}

/** Keep this many forgotten jobs' statuses (oldest dropped first). */
const MAX_TOMBSTONES = 10_000;

const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'preempted', 'lost']);

/** The idempotency key a Job carries, if ncg made it. */
export function keyOfJob(job: V1Job): string | undefined {
  return job.metadata?.annotations?.[ANNOTATION_IDEMPOTENCY_KEY];
}

/** Per-key status bookkeeping over the informers' caches. */
export class JobTracker {
  private readonly jobs = new Map<string, V1Job>();
  private readonly keyByUid = new Map<string, string>();
  private readonly podsByOwner = new Map<string, Map<string, V1Pod>>();
  private readonly verdicts = new Map<string, ExternalJobStatus>();
  private readonly tombstones = new Map<string, ExternalJobStatus>();
  private readonly problemSince = new Map<string, { kind: JobProblem['kind']; since: number }>();
  private readonly failedSince = new Map<string, number>();
  private readonly lastEmitted = new Map<string, string>();
  private readonly listeners = new Set<JobStatusListener>();

  constructor(
    private readonly timeouts: TrackerTimeouts,
    private readonly now: () => number,
    /** Called once when a problem outlasts its timeout; the adapter deletes the Job. */
    private readonly onExpired: (key: string, job: V1Job, verdict: ExternalJobStatus) => void,
  ) {}

  /** Feed a Job change from the informer. */
  onJob(type: CacheChange, job: V1Job): void {
    const key = keyOfJob(job);
    const uid = job.metadata?.uid;
    if (key === undefined) return;
    if (type === 'DELETED') {
      const held = this.jobs.get(key);
      if (held && held.metadata?.uid !== uid) return;
      const last = held ? this.compute(key, held) : undefined;
      this.jobs.delete(key);
      if (uid) this.keyByUid.delete(uid);
      if (uid) this.podsByOwner.delete(uid);
      if (!this.verdicts.has(key)) this.remember(key, last && FINAL.has(last.state) ? last : { idempotencyKey: key, externalId: this.externalId(job), state: 'lost', reason: 'lost' });
    } else {
      this.jobs.set(key, job);
      if (uid) this.keyByUid.set(uid, key);
    }
    this.publish(key);
  }

  /** Feed a Pod change from the informer. */
  onPod(type: CacheChange, pod: V1Pod): void {
    const owner = pod.metadata?.ownerReferences?.find((o) => o.kind === 'Job')?.uid;
    const name = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    if (!owner) return;
    let pods = this.podsByOwner.get(owner);
    if (type === 'DELETED') pods?.delete(name);
    else {
      if (!pods) this.podsByOwner.set(owner, (pods = new Map()));
      pods.set(name, pod);
    }
    const key = this.keyByUid.get(owner);
    if (key !== undefined) this.publish(key);
  }

  /** The Job a key's dispatch created, while it exists. */
  jobOf(key: string): V1Job | undefined {
    return this.jobs.get(key);
  }

  /** Status by key: a verdict, else the live Job's reading, else what was remembered; undefined if never seen. */
  statusOf(key: string): ExternalJobStatus | undefined {
    const verdict = this.verdicts.get(key);
    if (verdict) return { ...verdict };
    const job = this.jobs.get(key);
    if (job) return this.compute(key, job);
    const t = this.tombstones.get(key);
    return t ? { ...t } : undefined;
  }

  /** Record ncg's own final word on a dispatch (it sticks, whatever the Job does next). */
  setVerdict(key: string, status: ExternalJobStatus): void {
    this.verdicts.set(key, status);
    this.trim(this.verdicts);
    this.publish(key);
  }

  /** Re-evaluate every live job against the clock (timeouts fire here even when nothing changes). */
  tick(): void {
    for (const key of this.jobs.keys()) this.publish(key);
  }

  /** Re-publish every known key (after a re-list, so a change missed while disconnected is still told). */
  resync(): void {
    this.tick();
  }

  /** Subscribe to status changes. */
  subscribe(listener: JobStatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forget every listener. */
  clearListeners(): void {
    this.listeners.clear();
  }

  private externalId(job: V1Job): string {
    return externalIdOf(job.metadata?.namespace ?? '', job.metadata?.name ?? '');
  }

  /** The live status of a Job, applying the clock to problems and to a Failed Job's missing exit code. */
  private compute(key: string, job: V1Job): ExternalJobStatus {
    const r = readJob(job, [...(this.podsByOwner.get(job.metadata?.uid ?? '')?.values() ?? [])]);
    const now = this.now();
    const base: ExternalJobStatus = { idempotencyKey: key, externalId: this.externalId(job), state: r.state };
    for (const f of ['startedAt', 'endedAt', 'exitCode', 'reason', 'nodeNames'] as const) if (r[f] !== undefined) Object.assign(base, { [f]: r[f] });
    if (r.awaitingExitCode) {
      const since = this.failedSince.get(key) ?? now;
      this.failedSince.set(key, since);
      // Hold the end back briefly: the pod watch usually brings the exit code a moment after the Job's Failed.
      if (now - since < this.timeouts.exitCodeGraceMs) {
        const held: ExternalJobStatus = { ...base, state: r.startedAt !== undefined ? 'running' : 'pending' };
        delete held.endedAt;
        delete held.reason;
        return held;
      }
    } else this.failedSince.delete(key);
    if (!r.problem) {
      this.problemSince.delete(key);
      return base;
    }
    const seen = this.problemSince.get(key);
    const since = seen?.kind === r.problem.kind ? seen.since : now;
    this.problemSince.set(key, { kind: r.problem.kind, since });
    const limit = r.problem.kind === 'image-pull' ? this.timeouts.imagePullMs : this.timeouts.unschedulableMs;
    if (now - since < limit) return base;
    const verdict: ExternalJobStatus =
      r.problem.kind === 'image-pull'
        ? { idempotencyKey: key, externalId: base.externalId, state: 'failed', reason: r.problem.reason, endedAt: now }
        : { idempotencyKey: key, externalId: base.externalId, state: 'preempted', reason: 'unschedulable', endedAt: now };
    this.problemSince.delete(key);
    this.verdicts.set(key, verdict);
    this.onExpired(key, job, verdict);
    // Reached from status() as well as from publish(): tell listeners on the next tick, outside this call.
    queueMicrotask(() => this.publish(key));
    return { ...verdict };
  }

  private remember(key: string, status: ExternalJobStatus): void {
    this.tombstones.set(key, status);
    this.trim(this.tombstones);
  }

  private trim(map: Map<string, unknown>): void {
    while (map.size > MAX_TOMBSTONES) map.delete(map.keys().next().value as string);
  }

  /** Tell listeners when a key's status differs from what they were last told. */
  private publish(key: string): void {
    const status = this.statusOf(key);
    if (!status) return;
    const sig = JSON.stringify([status.state, status.exitCode, status.reason, status.nodeNames, status.startedAt, status.endedAt]);
    if (this.lastEmitted.get(key) === sig) return;
    this.lastEmitted.set(key, sig);
    this.trim(this.lastEmitted);
    for (const l of this.listeners) {
      try {
        l(status);
      } catch {
        // A listener's failure is its own; status() stays the truth for the control loop.
      }
    }
  }
}
