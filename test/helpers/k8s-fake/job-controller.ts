/**
 * The fake Job controller (plus the TTL-after-finished controller): for an Indexed Job it keeps one pod per
 * pending index, counts successes and failures, and sets the real conditions — `Complete` when every index
 * succeeded, `Failed` with `BackoffLimitExceeded` when failures pass the backoff limit, `Failed` with
 * `DeadlineExceeded` when `activeDeadlineSeconds` pass — removing active pods on failure. A suspended Job
 * has no pods and no start time; unsuspending starts it.
 */
import { randomBytes } from 'node:crypto';
import type { SimClock, TimerId } from '../../../src/adapters/sim/clock.js';
import type { FakeObject, ObjectStore } from './object-store.js';

const INDEX = 'batch.kubernetes.io/job-completion-index';

interface JobSpecLike {
  completions?: number;
  parallelism?: number;
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  ttlSecondsAfterFinished?: number;
  suspend?: boolean;
  template: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: Record<string, unknown> };
}

function finished(job: FakeObject): boolean {
  return ((job.status?.conditions as { type: string; status: string }[] | undefined) ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** Reconciles Jobs on the fake clock. */
export class FakeJobController {
  private readonly deadlines = new Map<string, TimerId>();
  private readonly ttls = new Map<string, TimerId>();

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: SimClock,
    private readonly iso: (ms: number) => string,
    /** Delete a finished Job whose TTL ran out (with its pods). */
    private readonly deleteJob: (namespace: string, name: string) => void,
  ) {}

  /** Bring one Job's pods and status in line with its spec. */
  reconcile(namespace: string, name: string): void {
    const job = this.store.get('Job', namespace, name);
    if (!job) return;
    const spec = job.spec as unknown as JobSpecLike;
    const uid = job.metadata.uid!;
    const pods = this.store.list('Pod', namespace).filter((p) => p.metadata.ownerReferences?.some((o) => o.uid === uid));
    const active = pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    if (finished(job)) return this.armTtl(job, spec);
    if (spec.suspend) {
      for (const p of active) this.store.delete('Pod', namespace, p.metadata.name);
      this.clearDeadline(uid);
      return void this.setStatus(job, (s) => {
        delete s.startTime;
        s.active = 0;
      });
    }
    const now = this.clock.now();
    const startTime = (job.status?.startTime as string | undefined) ?? this.iso(now);
    if (!job.status?.startTime) this.setStatus(job, (s) => (s.startTime = startTime));
    if (spec.activeDeadlineSeconds !== undefined && !this.deadlines.has(uid)) {
      const at = Date.parse(startTime) + spec.activeDeadlineSeconds * 1000;
      this.deadlines.set(uid, this.clock.schedule(at, () => this.fail(namespace, name, uid, 'DeadlineExceeded', 'Job was active longer than specified deadline')));
    }
    const failed = pods.filter((p) => p.status?.phase === 'Failed').length;
    const done = new Set(pods.filter((p) => p.status?.phase === 'Succeeded').map((p) => Number(p.metadata.annotations?.[INDEX])));
    const completions = spec.completions ?? 1;
    if (failed > (spec.backoffLimit ?? 6)) return this.fail(namespace, name, uid, 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
    if (done.size >= completions) return this.complete(job, done);
    const running = new Set(active.map((p) => Number(p.metadata.annotations?.[INDEX])));
    let slots = (spec.parallelism ?? 1) - active.length;
    for (let i = 0; i < completions && slots > 0; i++) {
      if (done.has(i) || running.has(i)) continue;
      this.createPod(job, spec, i);
      slots--;
    }
    this.setStatus(job, (s) => {
      s.active = active.length;
      s.failed = failed;
      s.succeeded = done.size;
      s.completedIndexes = [...done].sort((a, b) => a - b).join(',');
    });
  }

  /** The Job is gone: drop its timers. */
  forget(uid: string): void {
    this.clearDeadline(uid);
    const t = this.ttls.get(uid);
    if (t !== undefined) this.clock.cancel(t);
    this.ttls.delete(uid);
  }

  private createPod(job: FakeObject, spec: JobSpecLike, index: number): void {
    const jobName = job.metadata.name;
    const uid = job.metadata.uid!;
    const tpl = spec.template;
    this.store.create('Pod', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${jobName}-${index}-${randomBytes(3).toString('hex').slice(0, 5)}`,
        namespace: job.metadata.namespace,
        labels: { ...tpl.metadata?.labels, 'batch.kubernetes.io/job-name': jobName, 'job-name': jobName, 'batch.kubernetes.io/controller-uid': uid, 'controller-uid': uid, [INDEX]: String(index) },
        annotations: { ...tpl.metadata?.annotations, [INDEX]: String(index) },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: jobName, uid, controller: true }],
      },
      spec: { ...tpl.spec, hostname: `${jobName}-${index}` },
      status: { phase: 'Pending' },
    });
  }

  private complete(job: FakeObject, done: Set<number>): void {
    const at = this.iso(this.clock.now());
    this.clearDeadline(job.metadata.uid!);
    this.setStatus(job, (s) => {
      s.active = 0;
      s.succeeded = done.size;
      s.completedIndexes = [...done].sort((a, b) => a - b).join(',');
      s.completionTime = at;
      s.conditions = [
        { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', lastProbeTime: at, lastTransitionTime: at },
        { type: 'Complete', status: 'True', reason: 'CompletionsReached', lastProbeTime: at, lastTransitionTime: at },
      ];
    });
  }

  private fail(namespace: string, name: string, uid: string, reason: string, message: string): void {
    const job = this.store.get('Job', namespace, name);
    if (!job || job.metadata.uid !== uid || finished(job)) return;
    this.clearDeadline(uid);
    // The controller removes the pods still running; finished ones stay for their exit codes.
    for (const p of this.store.list('Pod', namespace)) {
      const mine = p.metadata.ownerReferences?.some((o) => o.uid === uid);
      if (mine && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed') this.store.delete('Pod', namespace, p.metadata.name);
    }
    const at = this.iso(this.clock.now());
    this.setStatus(job, (s) => {
      s.active = 0;
      s.conditions = [
        { type: 'FailureTarget', status: 'True', reason, message, lastProbeTime: at, lastTransitionTime: at },
        { type: 'Failed', status: 'True', reason, message, lastProbeTime: at, lastTransitionTime: at },
      ];
    });
  }

  private armTtl(job: FakeObject, spec: JobSpecLike): void {
    const uid = job.metadata.uid!;
    if (spec.ttlSecondsAfterFinished === undefined || this.ttls.has(uid)) return;
    const conds = (job.status?.conditions as { type: string; lastTransitionTime: string }[]) ?? [];
    const end = Math.max(...conds.map((c) => Date.parse(c.lastTransitionTime)));
    this.ttls.set(uid, this.clock.schedule(end + spec.ttlSecondsAfterFinished * 1000, () => this.deleteJob(job.metadata.namespace!, job.metadata.name)));
  }

  private clearDeadline(uid: string): void {
    const t = this.deadlines.get(uid);
    if (t !== undefined) this.clock.cancel(t);
    this.deadlines.delete(uid);
  }

  private setStatus(job: FakeObject, mutate: (s: Record<string, unknown>) => void): void {
    this.store.update('Job', job.metadata.namespace, job.metadata.name, (j) => {
      j.status = { ...j.status };
      mutate(j.status);
    });
  }
}
