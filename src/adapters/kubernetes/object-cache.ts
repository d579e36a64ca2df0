/**
 * The local copy an informer keeps: objects by namespace/name, updated from list results (diffed into
 * ADDED/MODIFIED/DELETED) and from watch events, with each change passed on. It knows incarnations: a
 * DELETED for an object's earlier uid never removes the object that replaced it under the same name.
 */

/** The metadata every cached object has. */
export interface KubeObject {
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string };
}

/** A change to the cache. */
export type CacheChange = 'ADDED' | 'MODIFIED' | 'DELETED';

/** Receives each change; `old` is the object replaced or removed. */
export type ChangeListener<T> = (type: CacheChange, obj: T, old: T | undefined) => void;

/** Objects from the typed list calls carry Date instances; watch events carry strings. Keep one shape. */
function plain<T>(obj: T): T {
  return JSON.parse(JSON.stringify(obj)) as T;
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

/** Objects of one resource, as last seen. */
export class ObjectCache<T extends KubeObject> {
  private readonly objects = new Map<string, T>();

  constructor(private readonly onChange: ChangeListener<T>) {}

  /** Every cached object. */
  values(): T[] {
    return [...this.objects.values()];
  }

  /** One cached object. */
  get(namespace: string, name: string): T | undefined {
    return this.objects.get(`${namespace}/${name}`);
  }

  /** Make the cache equal a full list, telling what was added, changed or removed since. */
  replace(items: readonly T[]): void {
    const fresh = new Map(items.map((o) => [keyOf(o), plain(o)] as const));
    for (const [k, old] of this.objects) {
      if (!fresh.has(k)) {
        this.objects.delete(k);
        this.onChange('DELETED', old, old);
      }
    }
    for (const [k, obj] of fresh) {
      const old = this.objects.get(k);
      this.objects.set(k, obj);
      if (!old) this.onChange('ADDED', obj, undefined);
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.onChange('MODIFIED', obj, old);
    }
  }

  /** Apply one watch event (ADDED, MODIFIED or DELETED). */
  apply(type: CacheChange, obj: T): void {
    const k = keyOf(obj);
    const old = this.objects.get(k);
    if (type === 'DELETED') {
      // A late DELETED of an earlier incarnation must not remove the object that replaced it.
      if (old && old.metadata?.uid !== undefined && obj.metadata?.uid !== undefined && old.metadata.uid !== obj.metadata.uid) return;
      this.objects.delete(k);
      this.onChange('DELETED', obj, old);
      return;
    }
    this.objects.set(k, obj);
    this.onChange(old ? 'MODIFIED' : 'ADDED', obj, old);
  }

  /**
   * Put an object the adapter just wrote (a create's answer) into the cache, so a read right after sees it.
   * Only if the cache lacks it, or holds an older incarnation (other uid): the watch delivers newer versions.
   */
  seed(obj: T): void {
    const existing = this.objects.get(keyOf(obj));
    if (existing && existing.metadata?.uid === obj.metadata?.uid) return;
    const copy = plain(obj);
    this.objects.set(keyOf(copy), copy);
    this.onChange(existing ? 'MODIFIED' : 'ADDED', copy, existing);
  }
}
