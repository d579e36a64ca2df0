/**
 * What a Job and its pods say about an ncg job, as the port's states: Job conditions decide the end
 * (`Complete` → succeeded; `Failed`/`DeadlineExceeded` → failed `timeout`; `Failed`/`BackoffLimitExceeded`
 * → failed with the container's exit code), pods decide pending versus running (a gang runs when every
 * index runs) and reveal problems that only time turns into a verdict (image pulls, unschedulable pods).
 * Pure: the tracker adds the clock.
 */
import type { V1ContainerStateTerminated, V1Job, V1Pod } from '@kubernetes/client-node';
import type { ExternalJobState } from '../port.js';
import { ANNOTATION_COMPLETION_INDEX } from './names.js';

/** A problem that fails or returns the job if it lasts longer than its configured time. */
export type JobProblem = { kind: 'image-pull'; reason: string; message?: string } | { kind: 'unschedulable'; message?: string };

/** One reading of a job. */
export interface JobReading {
  state: Exclude<ExternalJobState, 'cancelled' | 'preempted' | 'lost'>;
  startedAt?: number;
  endedAt?: number;
  exitCode?: number;
  reason?: string;
  nodeNames?: string[];
  problem?: JobProblem;
  /** The Job failed but no failed pod is in the cache yet (its watch may lag the Job's). */
  awaitingExitCode?: boolean;
}

/** Image pull states that do not resolve by themselves. */
const IMAGE_PULL_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

/** Epoch ms of a Kubernetes time (a Date from typed calls, an RFC 3339 string from watches). */
export function ms(t: unknown): number | undefined {
  if (t instanceof Date) return t.getTime();
  if (typeof t !== 'string' || t === '') return undefined;
  const v = Date.parse(t);
  return Number.isNaN(v) ? undefined : v;
}

/** The completion index of a pod of an Indexed Job. */
export function podIndex(pod: V1Pod): number {
  const v = pod.metadata?.annotations?.[ANNOTATION_COMPLETION_INDEX] ?? pod.metadata?.labels?.[ANNOTATION_COMPLETION_INDEX];
  return v === undefined ? Number.MAX_SAFE_INTEGER : Number(v);
}

/** True when the pod belongs to this incarnation of the Job (a re-created Job has a new uid). */
export function ownedBy(pod: V1Pod, job: V1Job): boolean {
  const uid = job.metadata?.uid;
  return uid !== undefined && (pod.metadata?.ownerReferences ?? []).some((o) => o.uid === uid);
}

function terminatedOf(pod: V1Pod): V1ContainerStateTerminated | undefined {
  return (pod.status?.containerStatuses ?? []).map((c) => c.state?.terminated).find((t) => t !== undefined);
}

function startOf(pod: V1Pod): number | undefined {
  const c = pod.status?.containerStatuses?.[0]?.state;
  return ms(c?.running?.startedAt) ?? ms(c?.terminated?.startedAt) ?? ms(pod.status?.startTime);
}

/** How a Failed Job ended, from its condition and its failed pods. */
function failure(reason: string | undefined, pods: V1Pod[]): Pick<JobReading, 'exitCode' | 'reason' | 'awaitingExitCode'> {
  if (reason === 'DeadlineExceeded') return { reason: 'timeout' };
  const failed = pods.filter((p) => p.status?.phase === 'Failed').sort((a, b) => podIndex(a) - podIndex(b));
  const term = failed.map(terminatedOf).find((t) => t !== undefined && t.exitCode !== 0);
  if (term) return { exitCode: term.exitCode, reason: term.reason === 'OOMKilled' ? 'oom' : 'nonzero_exit' };
  const podReason = failed.map((p) => p.status?.reason).find((r) => r !== undefined);
  if (podReason) return { reason: podReason === 'NodeLost' || podReason === 'Evicted' ? 'node_fail' : podReason };
  return { reason: reason ?? 'failed', awaitingExitCode: reason === 'BackoffLimitExceeded' };
}

/** A stuck image pull or an unschedulable pod among the job's unfinished pods, if any. */
function problemOf(pods: V1Pod[]): JobProblem | undefined {
  for (const pod of pods) {
    for (const c of pod.status?.containerStatuses ?? []) {
      const w = c.state?.waiting;
      if (w?.reason && IMAGE_PULL_REASONS.has(w.reason)) return { kind: 'image-pull', reason: w.reason, message: w.message };
    }
  }
  for (const pod of pods) {
    const cond = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (!pod.spec?.nodeName && cond?.status === 'False' && cond.reason === 'Unschedulable') return { kind: 'unschedulable', message: cond.message };
  }
  return undefined;
}

/** Read a Job and its pods (any pods: only this incarnation's are used). */
export function readJob(job: V1Job, allPods: readonly V1Pod[]): JobReading {
  const pods = allPods.filter((p) => ownedBy(p, job)).sort((a, b) => podIndex(a) - podIndex(b));
  const conditions = job.status?.conditions ?? [];
  const nodeNames = [...new Set(pods.map((p) => p.spec?.nodeName).filter((n): n is string => !!n))];
  const starts = pods.map(startOf).filter((t): t is number => t !== undefined);
  const startedAt = starts.length > 0 ? Math.min(...starts) : ms(job.status?.startTime);
  const withRun = (r: JobReading): JobReading => ({ ...r, ...(startedAt !== undefined ? { startedAt } : {}), ...(nodeNames.length > 0 ? { nodeNames } : {}) });
  const complete = conditions.find((c) => c.type === 'Complete' && c.status === 'True');
  if (complete) return withRun({ state: 'succeeded', exitCode: 0, endedAt: ms(job.status?.completionTime) ?? ms(complete.lastTransitionTime) });
  const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
  if (failed) return withRun({ state: 'failed', endedAt: ms(failed.lastTransitionTime), ...failure(failed.reason, pods) });
  if (job.spec?.suspend === true) return { state: 'pending' };
  const unfinished = pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  const problem = problemOf(unfinished);
  const completions = job.spec?.completions ?? 1;
  // A gang runs when every index has a pod running or done; one rank up alone is still waiting.
  const live = new Set(pods.filter((p) => p.status?.phase === 'Running' || p.status?.phase === 'Succeeded').map(podIndex));
  if (live.size >= completions) return withRun({ state: 'running' });
  return { state: 'pending', ...(problem ? { problem } : {}) };
}
