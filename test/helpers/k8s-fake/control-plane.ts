/**
 * The fake cluster's controllers wired to its store: every change wakes the ones that care — the Job
 * controller for Jobs and their pods, the kubelet for pods, the scheduler for pods and nodes — after the
 * change (never inside the store's emit), batched per turn of the event loop; and the garbage collector
 * that deletes (or orphans) a deleted owner's pods and Services.
 */
import type { SimClock } from '../../../src/adapters/sim/clock.js';
import type { FakeFaults } from './faults.js';
import { FakeJobController } from './job-controller.js';
import { FakeKubelet } from './kubelet.js';
import type { FakeObject, Kind, ObjectStore, StoreEvent } from './object-store.js';
import { schedulePending } from './scheduler.js';

/** Kubernetes timestamps have whole seconds. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Scheduler, kubelet, Job controller and garbage collector of one fake cluster. */
export class FakeControlPlane {
  private readonly kubelet: FakeKubelet;
  private readonly jobs: FakeJobController;
  private readonly queue = new Map<string, () => void>();
  private flushing = false;
  private closed = false;

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: SimClock,
    faults: FakeFaults,
    defaultDurationSeconds: number,
  ) {
    this.kubelet = new FakeKubelet(store, clock, faults, isoSeconds, defaultDurationSeconds);
    this.jobs = new FakeJobController(store, clock, isoSeconds, (ns, name) => this.collectGarbage('Job', this.store.delete('Job', ns, name), 'Background'));
    store.subscribe((ev) => this.react(ev));
  }

  /** The garbage collector: Background/Foreground deletes take dependents along; Orphan strips their owner. */
  collectGarbage(kind: Kind, obj: FakeObject, policy: string): void {
    const uid = obj.metadata.uid;
    for (const depKind of ['Pod', 'Service'] as const) {
      for (const dep of this.store.list(depKind, obj.metadata.namespace)) {
        if (!dep.metadata.ownerReferences?.some((r) => r.uid === uid)) continue;
        if (policy === 'Orphan') this.store.update(depKind, dep.metadata.namespace, dep.metadata.name, (d) => (d.metadata.ownerReferences = d.metadata.ownerReferences?.filter((r) => r.uid !== uid)));
        else this.store.delete(depKind, dep.metadata.namespace, dep.metadata.name);
      }
    }
    if (kind === 'Job') this.jobs.forget(uid!);
  }

  /** Stop reacting and cancel every pod's run. */
  close(): void {
    this.closed = true;
    this.kubelet.close();
  }

  private react(ev: StoreEvent): void {
    if (this.closed) return;
    const o = ev.object;
    const ns = o.metadata.namespace!;
    if (ev.kind === 'Job') {
      if (ev.type === 'DELETED') this.jobs.forget(o.metadata.uid!);
      else this.enqueue(`job/${ns}/${o.metadata.name}`, () => this.jobs.reconcile(ns, o.metadata.name));
    }
    if (ev.kind === 'Pod') {
      if (ev.type === 'DELETED') this.kubelet.forget(o);
      else this.enqueue(`pod/${o.metadata.uid}`, () => this.syncPod(ns, o.metadata.name));
      const owner = o.metadata.ownerReferences?.find((r) => r.kind === 'Job');
      if (owner) this.enqueue(`job/${ns}/${owner.name}`, () => this.jobs.reconcile(ns, owner.name));
    }
    if (ev.kind === 'Pod' || ev.kind === 'Node') this.enqueue('schedule', () => schedulePending(this.store, isoSeconds(this.clock.now())));
  }

  private syncPod(namespace: string, name: string): void {
    const pod = this.store.get('Pod', namespace, name);
    if (pod) this.kubelet.sync(pod);
  }

  /** Run `work` on the next turn, once per key however many changes asked for it. */
  private enqueue(key: string, work: () => void): void {
    this.queue.set(key, work);
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => {
      this.flushing = false;
      const batch = [...this.queue.values()];
      this.queue.clear();
      for (const w of batch) if (!this.closed) w();
    });
  }
}
