/**
 * An in-process Kubernetes API server fake for tests: real HTTP on 127.0.0.1, the real REST and watch
 * protocol, and the cluster behind it played by a fake scheduler, kubelet, Job controller and garbage
 * collector on a scalable clock. The official client reaches it through a generated kubeconfig, so the
 * adapter code under test is byte for byte the code that talks to production clusters.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScaledClock, type SimClock } from '../../../src/adapters/sim/clock.js';
import { startApiServer, type ApiServer } from './api-server.js';
import { FakeFaults } from './faults.js';
import { FakeJobController } from './job-controller.js';
import { FakeKubelet } from './kubelet.js';
import { nodeObject, readyCondition, type FakeNodeSpec } from './nodes.js';
import { ObjectStore, type FakeObject, type Kind, type StoreEvent } from './object-store.js';
import { schedulePending } from './scheduler.js';

/** How to start a fake cluster. */
export interface FakeClusterOptions {
  nodes?: FakeNodeSpec[];
  /** Namespaces that exist from the start (default `default` and `ncg`). */
  namespaces?: string[];
  /** Fake seconds per real second when no clock is given (default 1). */
  speed?: number;
  clock?: SimClock;
  /** Real ms between BOOKMARK events on watches that allow them (default 200). */
  bookmarkMs?: number;
  /** Events kept for resuming watches (default 5000); older versions get 410 Gone. */
  historyLimit?: number;
  /** Run time of a pod that carries no sim duration (default: a year, i.e. until deleted). */
  defaultDurationSeconds?: number;
}

/** Kubernetes timestamps have whole seconds. */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A running fake cluster. */
export class FakeKubernetes {
  readonly faults = new FakeFaults();
  readonly store: ObjectStore;
  readonly clock: SimClock;
  readonly token = 'ncg-fake-token';
  private server!: ApiServer;
  private dir = '';
  private readonly kubelet: FakeKubelet;
  private readonly jobs: FakeJobController;
  private readonly queue = new Map<string, () => void>();
  private flushing = false;
  private closed = false;

  private constructor(private readonly opts: FakeClusterOptions) {
    this.clock = opts.clock ?? new ScaledClock({ speed: opts.speed ?? 1 });
    this.store = new ObjectStore(() => isoSeconds(this.clock.now()), opts.historyLimit);
    this.kubelet = new FakeKubelet(this.store, this.clock, this.faults, isoSeconds, opts.defaultDurationSeconds ?? 365 * 86400);
    this.jobs = new FakeJobController(this.store, this.clock, isoSeconds, (ns, name) => this.deleteWithDependents('Job', ns, name));
    this.store.subscribe((ev) => this.react(ev));
  }

  /** Start a fake with the given nodes; its kubeconfig is written to a temporary file. */
  static async start(opts: FakeClusterOptions = {}): Promise<FakeKubernetes> {
    const fake = new FakeKubernetes(opts);
    fake.server = await startApiServer({
      store: fake.store,
      faults: fake.faults,
      token: fake.token,
      bookmarkMs: opts.bookmarkMs ?? 200,
      onDeleted: (kind, obj, policy) => fake.collectGarbage(kind, obj, policy),
    });
    for (const ns of opts.namespaces ?? ['default', 'ncg']) fake.store.create('Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns }, status: { phase: 'Active' } });
    for (const n of opts.nodes ?? []) fake.addNode(n);
    fake.dir = await mkdtemp(join(tmpdir(), 'ncg-k8s-fake-'));
    await writeFile(fake.kubeconfigPath, fake.kubeconfigYaml());
    return fake;
  }

  /** The API server's base URL. */
  get url(): string {
    return this.server.url;
  }

  /** Path of the generated kubeconfig (contexts `fake`, current, and `unreachable`). */
  get kubeconfigPath(): string {
    return join(this.dir, 'kubeconfig.yaml');
  }

  /** A kubeconfig with the fake as context `fake` and a dead port as `unreachable`. */
  kubeconfigYaml(current: 'fake' | 'unreachable' = 'fake'): string {
    return [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      // Plain HTTP on loopback; the client only allows http:// with TLS verification off.
      `- name: fake\n  cluster:\n    server: ${this.url}\n    insecure-skip-tls-verify: true`,
      '- name: unreachable\n  cluster:\n    server: http://127.0.0.1:9\n    insecure-skip-tls-verify: true',
      'users:',
      `- name: ncg\n  user:\n    token: ${this.token}`,
      'contexts:',
      '- name: fake\n  context:\n    cluster: fake\n    user: ncg',
      '- name: unreachable\n  context:\n    cluster: unreachable\n    user: ncg',
      `current-context: ${current}`,
      '',
    ].join('\n');
  }

  /** Register a node. */
  addNode(spec: FakeNodeSpec): void {
    this.store.create('Node', nodeObject(spec, isoSeconds(this.clock.now())));
  }

  /** Cordon (`kubectl cordon`) or uncordon a node. */
  cordon(name: string, on = true): void {
    this.store.update('Node', undefined, name, (n) => (n.spec = { ...n.spec, unschedulable: on || undefined }));
  }

  /** Make a node Ready or NotReady (its kubelet stopped reporting). */
  setNodeReady(name: string, ready: boolean): void {
    this.store.update('Node', undefined, name, (n) => (n.status = { ...n.status, conditions: [readyCondition(ready, isoSeconds(this.clock.now()))] }));
  }

  /** Create a pod directly (a workload that is not ncg's); the fake scheduler and kubelet run it. */
  createPod(namespace: string, name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): FakeObject {
    return this.store.create('Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec, status: { phase: 'Pending' } });
  }

  /** Change a Job's spec as a controller like Kueue would (e.g. unsuspend it). */
  patchJobSpec(namespace: string, name: string, patch: Record<string, unknown>): void {
    this.store.update('Job', namespace, name, (j) => (j.spec = { ...j.spec, ...patch }));
  }

  /** Objects of a kind (copies). */
  list(kind: Kind, namespace?: string): FakeObject[] {
    return this.store.list(kind, namespace);
  }

  /** How many times `kind ns/name` was created (a second create of one Job is a bug). */
  createdCount(kind: Kind, namespace: string | undefined, name: string): number {
    return this.store.creates.get(`${kind}/${namespace ?? ''}/${name}`) ?? 0;
  }

  /** End every open watch cleanly, as an API server restart or its watch timeout does. */
  closeWatches(): number {
    const n = this.server.watches.size;
    for (const w of [...this.server.watches]) w.close();
    return n;
  }

  /** Cut every open watch connection (a network failure). */
  dropWatches(): number {
    const n = this.server.watches.size;
    for (const w of [...this.server.watches]) w.destroy();
    return n;
  }

  /** Compact history: every watch resuming from an older version now gets 410 Gone. */
  compact(): void {
    this.store.compact();
  }

  /** Open watch connections now. */
  openWatches(): number {
    return this.server.watches.size;
  }

  /** Stop the server, the clock's timers and remove the kubeconfig. */
  async close(): Promise<void> {
    this.closed = true;
    this.kubelet.close();
    await this.server.close();
    if (!this.opts.clock) this.clock.close();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Controllers run after the change that woke them, never inside the store's emit. */
  private react(ev: StoreEvent): void {
    if (this.closed) return;
    const o = ev.object;
    if (ev.kind === 'Job') {
      if (ev.type === 'DELETED') this.jobs.forget(o.metadata.uid!);
      else this.enqueue(`job/${o.metadata.namespace}/${o.metadata.name}`, () => this.jobs.reconcile(o.metadata.namespace!, o.metadata.name));
    }
    if (ev.kind === 'Pod') {
      if (ev.type === 'DELETED') this.kubelet.forget(o);
      else this.enqueue(`pod/${o.metadata.uid}`, () => this.syncPod(o.metadata.namespace!, o.metadata.name));
      const owner = o.metadata.ownerReferences?.find((r) => r.kind === 'Job');
      if (owner) this.enqueue(`job/${o.metadata.namespace}/${owner.name}`, () => this.jobs.reconcile(o.metadata.namespace!, owner.name));
    }
    if (ev.kind === 'Pod' || ev.kind === 'Node') this.enqueue('schedule', () => schedulePending(this.store, isoSeconds(this.clock.now())));
  }

  private syncPod(namespace: string, name: string): void {
    const pod = this.store.get('Pod', namespace, name);
    if (pod) this.kubelet.sync(pod);
  }

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

  /** The garbage collector: Background/Foreground deletes take dependents along; Orphan strips their owner. */
  private collectGarbage(kind: Kind, obj: FakeObject, policy: string): void {
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

  private deleteWithDependents(kind: Kind, namespace: string, name: string): void {
    const gone = this.store.delete(kind, namespace, name);
    this.collectGarbage(kind, gone, 'Background');
  }
}
