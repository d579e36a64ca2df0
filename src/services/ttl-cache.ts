/**
 * A small time-to-live cache with least-recently-used eviction, for the submit hot path: token → principal,
 * project → institution, membership. Values are kept as promises so concurrent misses for one key share a
 * single load (no thundering herd when 32 connections arrive at once), and a failed load is not cached.
 */

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/** A bounded map whose entries expire `ttlMs` after they were stored. */
export class TtlCache<K, V> {
  // A Map iterates in insertion order; re-inserting on a hit makes the first key the least recently used.
  private readonly entries = new Map<K, Entry<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The live value for `key`, or undefined when absent or expired. */
  get(key: K): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  /** Store a value, evicting the least recently used entry when full. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
  }

  /** Forget one key. */
  delete(key: K): void {
    this.entries.delete(key);
  }

  /** Forget everything. */
  clear(): void {
    this.entries.clear();
  }

  /** Number of stored entries (expired ones included until touched). */
  get size(): number {
    return this.entries.size;
  }
}

/**
 * The cached result of `load(key)`: concurrent callers for one key share one load; a rejected load is
 * dropped from the cache so the next caller retries.
 */
export function loadThrough<K, V>(cache: TtlCache<K, Promise<V>>, key: K, load: (key: K) => Promise<V>): Promise<V> {
  const hit = cache.get(key);
  if (hit) return hit;
  const p = load(key);
  cache.set(key, p);
  p.catch(() => {
    if (cache.get(key) === p) cache.delete(key);
  });
  return p;
}
