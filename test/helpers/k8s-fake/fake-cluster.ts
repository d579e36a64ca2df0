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
import { FakeControlPlane, isoSeconds } from './control-plane.js';
import { FakeFaults } from './faults.js';
import { nodeObject, readyCondition, type FakeNodeSpec } from './nodes.js';
import { ObjectStore, type FakeObject, type Kind } from './object-store.js';

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

/** A running fake cluster. */
export class FakeKubernetes {
  readonly faults = new FakeFaults();
  readonly store: ObjectStore;
  readonly clock: SimClock;
  readonly token = 'ncg-fake-token';
  private server!: ApiServer;
  private dir = '';
  private readonly control: FakeControlPlane;

  private constructor(private readonly opts: FakeClusterOptions) {
    this.clock = opts.clock ?? new ScaledClock({ speed: opts.speed ?? 1 });
    this.store = new ObjectStore(() => isoSeconds(this.clock.now()), opts.historyLimit);
    this.control = new FakeControlPlane(this.store, this.clock, this.faults, opts.defaultDurationSeconds ?? 365 * 86400);
  }

  /** Start a fake with the given nodes; its kubeconfig is written to a temporary file. */
  static async start(opts: FakeClusterOptions = {}): Promise<FakeKubernetes> {
    const fake = new FakeKubernetes(opts);
    fake.server = await startApiServer({
      store: fake.store,
      faults: fake.faults,
      token: fake.token,
      bookmarkMs: opts.bookmarkMs ?? 200,
      onDeleted: (kind, obj, policy) => fake.control.collectGarbage(kind, obj, policy),
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
    this.control.close();
    await this.server.close();
    if (!this.opts.clock) this.clock.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}
