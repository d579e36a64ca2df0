/**
 * The fake kubelet: starts bound pods (Running, container started), lets them "run" for the job's sim
 * duration on the fake clock — read from the `ncg.io/sim` pod annotation or the NCG_SIM_* environment the
 * adapter passes through — and ends them with the sim exit code (Succeeded, or Failed with a terminated
 * container). Images the faults mark as unpullable stay waiting in ErrImagePull, then ImagePullBackOff.
 */
import type { SimClock, TimerId } from '../../../src/adapters/sim/clock.js';
import type { FakeFaults } from './faults.js';
import type { FakeObject, ObjectStore } from './object-store.js';
import { containersOf } from './resources.js';

/** How a pod's run is described to the fake. */
interface RunPlan {
  durationSeconds: number;
  exitCode: number;
}

/** Duration and exit code from the annotation, else the env, else the default (practically forever). */
export function runPlan(pod: FakeObject, defaultSeconds: number): RunPlan {
  const raw = pod.metadata.annotations?.['ncg.io/sim'];
  if (raw) {
    try {
      const sim = JSON.parse(raw) as { durationSeconds?: number; exitCode?: number };
      return { durationSeconds: sim.durationSeconds ?? defaultSeconds, exitCode: sim.exitCode ?? 0 };
    } catch {
      // A malformed annotation falls through to the env, as a real container would ignore it.
    }
  }
  const env = new Map((containersOf(pod)[0]?.env ?? []).map((e) => [e.name, e.value]));
  const d = Number(env.get('NCG_SIM_DURATION_SECONDS'));
  const x = Number(env.get('NCG_SIM_EXIT_CODE'));
  return { durationSeconds: Number.isFinite(d) && env.has('NCG_SIM_DURATION_SECONDS') ? d : defaultSeconds, exitCode: Number.isInteger(x) ? x : 0 };
}

/** Runs pods on the fake clock. */
export class FakeKubelet {
  private readonly timers = new Map<string, TimerId>();

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: SimClock,
    private readonly faults: FakeFaults,
    private readonly iso: (ms: number) => string,
    private readonly defaultSeconds: number,
  ) {}

  /** React to a pod's current state: start it once it is bound. */
  sync(pod: FakeObject): void {
    const uid = pod.metadata.uid!;
    if (!pod.spec?.nodeName || pod.status?.phase !== 'Pending' || this.timers.has(uid) || pod.status?.containerStatuses) return;
    const c = containersOf(pod)[0];
    const name = (pod.spec.containers as { name: string }[])[0]?.name ?? 'main';
    const now = this.clock.now();
    if (this.faults.imagePullFails(c?.image)) {
      this.setWaiting(pod, name, 'ErrImagePull', `failed to pull and unpack image "${c?.image}": not found`);
      // The kubelet backs off after the first failed pull; the pod never gets further.
      this.timers.set(uid, this.clock.schedule(now + 2000, () => this.setWaiting(pod, name, 'ImagePullBackOff', `Back-off pulling image "${c?.image}"`)));
      return;
    }
    const plan = runPlan(pod, this.defaultSeconds);
    const startedAt = this.iso(now);
    this.update(pod, (p) => {
      p.status = {
        ...p.status,
        phase: 'Running',
        startTime: startedAt,
        hostIP: '10.0.0.1',
        podIP: `10.244.0.${(this.timers.size % 250) + 2}`,
        conditions: [...otherConditions(p), { type: 'Ready', status: 'True', lastTransitionTime: startedAt }],
        containerStatuses: [{ name, image: c?.image, imageID: '', ready: true, restartCount: 0, started: true, state: { running: { startedAt } } }],
      };
    });
    this.timers.set(uid, this.clock.schedule(now + plan.durationSeconds * 1000, () => this.finish(pod, name, startedAt, plan.exitCode)));
  }

  /** The pod is gone: stop its run. */
  forget(pod: FakeObject): void {
    const uid = pod.metadata.uid!;
    const t = this.timers.get(uid);
    if (t !== undefined) this.clock.cancel(t);
    this.timers.delete(uid);
  }

  /** Stop every run (the fake is shutting down). */
  close(): void {
    for (const t of this.timers.values()) this.clock.cancel(t);
    this.timers.clear();
  }

  private finish(pod: FakeObject, name: string, startedAt: string, exitCode: number): void {
    const finishedAt = this.iso(this.clock.now());
    this.update(pod, (p) => {
      p.status = {
        ...p.status,
        phase: exitCode === 0 ? 'Succeeded' : 'Failed',
        conditions: [...otherConditions(p), { type: 'Ready', status: 'False', reason: 'PodCompleted', lastTransitionTime: finishedAt }],
        containerStatuses: [{ name, ready: false, restartCount: 0, started: false, state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt, finishedAt } } }],
      };
    });
  }

  private setWaiting(pod: FakeObject, name: string, reason: string, message: string): void {
    this.update(pod, (p) => {
      p.status = { ...p.status, containerStatuses: [{ name, ready: false, restartCount: 0, started: false, state: { waiting: { reason, message } } }] };
    });
  }

  /** Update if the pod still exists (it may have been deleted while running). */
  private update(pod: FakeObject, mutate: (p: FakeObject) => void): void {
    const current = this.store.get('Pod', pod.metadata.namespace, pod.metadata.name);
    if (!current || current.metadata.uid !== pod.metadata.uid) return;
    this.store.update('Pod', pod.metadata.namespace, pod.metadata.name, mutate);
  }
}

/** The pod's conditions other than Ready (PodScheduled is kept). */
function otherConditions(p: FakeObject): Record<string, unknown>[] {
  return ((p.status?.conditions as Record<string, unknown>[] | undefined) ?? []).filter((c) => c.type !== 'Ready');
}
