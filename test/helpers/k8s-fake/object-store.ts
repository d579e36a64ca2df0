/**
 * The fake API server's etcd: objects by kind and namespace/name, one global resourceVersion counter, and
 * a bounded history of change events so a watch can resume from a version — or learn it is too old (410).
 * Every change is told to subscribers synchronously (watch streams, the fake controllers).
 */
import { randomUUID } from 'node:crypto';
import { HttpStatusError, resourceLabel } from './status.js';

/** The kinds the fake serves. */
export type Kind = 'Namespace' | 'Node' | 'Pod' | 'Job' | 'Service';

/** Kinds whose objects live in a namespace. */
export const NAMESPACED: ReadonlySet<Kind> = new Set<Kind>(['Pod', 'Job', 'Service']);

/** Object metadata the fake maintains. */
export interface FakeMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  [k: string]: unknown;
}

/** Any object in the store (JSON). */
export interface FakeObject {
  apiVersion: string;
  kind: string;
  metadata: FakeMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [k: string]: unknown;
}

/** One change, as a watch delivers it; `prev` is the object before (for selector transitions). */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  kind: Kind;
  object: FakeObject;
  prev?: FakeObject;
  rv: number;
}

/** What a watch from a resourceVersion gets: the events after it, or `gone` if history no longer reaches back. */
export type Replay = StoreEvent[] | 'gone';

const clone = <T>(o: T): T => structuredClone(o);

/** The fake's storage. */
export class ObjectStore {
  private rv = 100;
  private readonly objects = new Map<Kind, Map<string, FakeObject>>();
  private history: StoreEvent[] = [];
  /** Watches from a version below this cannot be served (410 Gone). */
  private compactedThrough = 100;
  private readonly subscribers = new Set<(ev: StoreEvent) => void>();
  /** Successful creates per `kind/ns/name`, to prove nothing was created twice. */
  readonly creates = new Map<string, number>();

  constructor(
    private readonly nowIso: () => string,
    private readonly historyLimit = 5000,
  ) {}

  /** The current resourceVersion (a list's version). */
  version(): number {
    return this.rv;
  }

  /** Subscribe to every change. */
  subscribe(fn: (ev: StoreEvent) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  /** A copy of one object. */
  get(kind: Kind, namespace: string | undefined, name: string): FakeObject | undefined {
    const o = this.map(kind).get(key(namespace, name));
    return o ? clone(o) : undefined;
  }

  /** Copies of all objects of a kind, optionally in one namespace, in creation order. */
  list(kind: Kind, namespace?: string): FakeObject[] {
    return [...this.map(kind).values()].filter((o) => namespace === undefined || o.metadata.namespace === namespace).map(clone);
  }

  /** Store a new object (409 AlreadyExists if the name is taken). */
  create(kind: Kind, input: FakeObject): FakeObject {
    const obj = clone(input);
    const k = key(obj.metadata.namespace, obj.metadata.name);
    if (this.map(kind).has(k)) throw new HttpStatusError('AlreadyExists', `${resourceLabel(kind)} "${obj.metadata.name}" already exists`, { name: obj.metadata.name, kind: resourceLabel(kind) });
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = this.nowIso();
    delete obj.metadata.deletionTimestamp;
    this.stamp(obj);
    this.map(kind).set(k, obj);
    const ck = `${kind}/${k}`;
    this.creates.set(ck, (this.creates.get(ck) ?? 0) + 1);
    this.emit({ type: 'ADDED', kind, object: clone(obj), rv: this.rv });
    return clone(obj);
  }

  /** Change an object in place through `mutate`; no event if nothing changed. 404 if absent. */
  update(kind: Kind, namespace: string | undefined, name: string, mutate: (o: FakeObject) => void): FakeObject {
    const k = key(namespace, name);
    const current = this.map(kind).get(k);
    if (!current) throw new HttpStatusError('NotFound', `${resourceLabel(kind)} "${name}" not found`, { name, kind: resourceLabel(kind) });
    const next = clone(current);
    mutate(next);
    next.metadata.uid = current.metadata.uid;
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    if (JSON.stringify(next) === JSON.stringify(current)) return clone(current);
    this.stamp(next);
    this.map(kind).set(k, next);
    this.emit({ type: 'MODIFIED', kind, object: clone(next), prev: clone(current), rv: this.rv });
    return clone(next);
  }

  /** Remove an object; the DELETED event carries its last state at a new version. 404 if absent. */
  delete(kind: Kind, namespace: string | undefined, name: string): FakeObject {
    const k = key(namespace, name);
    const current = this.map(kind).get(k);
    if (!current) throw new HttpStatusError('NotFound', `${resourceLabel(kind)} "${name}" not found`, { name, kind: resourceLabel(kind) });
    this.map(kind).delete(k);
    const gone = clone(current);
    this.stamp(gone);
    this.emit({ type: 'DELETED', kind, object: clone(gone), prev: clone(current), rv: this.rv });
    return gone;
  }

  /** Events of `kind` after `fromRv`, or `gone` when history was compacted past it. */
  replay(kind: Kind, fromRv: number): Replay {
    if (fromRv < this.compactedThrough) return 'gone';
    return this.history.filter((e) => e.kind === kind && e.rv > fromRv);
  }

  /** Forget all history, as etcd compaction does: every watch from an older version now gets 410 Gone. */
  compact(): void {
    this.history = [];
    this.compactedThrough = this.rv;
  }

  private map(kind: Kind): Map<string, FakeObject> {
    let m = this.objects.get(kind);
    if (!m) this.objects.set(kind, (m = new Map()));
    return m;
  }

  private stamp(obj: FakeObject): void {
    obj.metadata.resourceVersion = String(++this.rv);
  }

  private emit(ev: StoreEvent): void {
    this.history.push(ev);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compactedThrough = dropped[dropped.length - 1]!.rv;
    }
    for (const fn of [...this.subscribers]) fn(ev);
  }
}

function key(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}
