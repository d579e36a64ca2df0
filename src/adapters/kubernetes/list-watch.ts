/**
 * An informer: list a resource, then watch it from the list's resourceVersion, keeping a local cache. A
 * `410 Gone` (the version was compacted away) means re-list; a dropped or failed watch is re-opened from the
 * last version seen, after an exponential backoff with jitter. The client library's own ListWatch stops on
 * the first error, which a control plane that must never miss a job's end cannot afford.
 */
import type { Watch } from '@kubernetes/client-node';
import { ObjectCache, type CacheChange, type ChangeListener, type KubeObject } from './object-cache.js';

export type { CacheChange, KubeObject };

/** How to list and watch one resource. */
export interface ListWatchOptions<T extends KubeObject> {
  /** For messages: `jobs`, `pods`. */
  name: string;
  /** The collection path to watch, e.g. `/apis/batch/v1/jobs`. */
  path: string;
  labelSelector?: string;
  list: () => Promise<{ items: T[]; metadata?: { resourceVersion?: string } }>;
  watch: Watch;
  /** The server ends each watch after this long (`timeoutSeconds`); ncg re-opens it. */
  watchSeconds: number;
  backoffBaseMs?: number;
  backoffMaxMs: number;
  onChange: ChangeListener<T>;
  /** After every (re-)list, when the cache is whole again. */
  onResync?: () => void;
  log?: (msg: string) => void;
}

type WatchEnd = 'gone' | 'closed' | 'error';

/** A self-healing list+watch cache of one resource. */
export class ListWatch<T extends KubeObject> {
  /** Counters for tests and metrics. */
  readonly stats = { lists: 0, listFailures: 0, watches: 0, gone: 0, failures: 0 };
  private readonly cache: ObjectCache<T>;
  private rv = '';
  private stopped = false;
  private synced = false;
  private failures = 0;
  private controller: AbortController | undefined;
  private wake: (() => void) | undefined;
  private readonly firstSync: Promise<void>;
  private resolveFirstSync!: () => void;

  constructor(private readonly opts: ListWatchOptions<T>) {
    this.firstSync = new Promise((r) => (this.resolveFirstSync = r));
    this.cache = new ObjectCache<T>(opts.onChange);
  }

  /** Begin listing and watching in the background. */
  start(): void {
    void this.run();
  }

  /** Stop and abort the open watch. */
  stop(): void {
    this.stopped = true;
    this.controller?.abort();
    this.wake?.();
  }

  /** True once the first list has landed. */
  isSynced(): boolean {
    return this.synced;
  }

  /**
   * Wait up to `ms` for the first list; false if it has not landed by then. Once a list has failed, wait at
   * most a second: callers should hear "unavailable" quickly while the API server is down.
   */
  async whenSynced(ms: number): Promise<boolean> {
    if (this.synced) return true;
    if (this.stats.listFailures > 0) ms = Math.min(ms, 1000);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
    const ok = await Promise.race([this.firstSync.then(() => true as const), late]);
    clearTimeout(timer);
    return ok;
  }

  /** Every cached object. */
  values(): T[] {
    return this.cache.values();
  }

  /** One cached object. */
  get(namespace: string, name: string): T | undefined {
    return this.cache.get(namespace, name);
  }

  /** Put an object the adapter just created into the cache (see ObjectCache.seed). */
  seed(obj: T): void {
    this.cache.seed(obj);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (this.rv === '') {
        try {
          await this.relist();
        } catch (e) {
          this.stats.listFailures++;
          this.opts.log?.(`${this.opts.name}: list failed: ${(e as Error).message}`);
          await this.backoff();
          continue;
        }
      }
      const end = await this.watchOnce();
      if (end === 'gone') {
        this.stats.gone++;
        this.rv = '';
      } else if (end === 'error') {
        await this.backoff();
      }
    }
  }

  private async relist(): Promise<void> {
    this.stats.lists++;
    const list = await this.opts.list();
    this.cache.replace(list.items);
    this.rv = list.metadata?.resourceVersion ?? '';
    this.failures = 0;
    if (!this.synced) {
      this.synced = true;
      this.resolveFirstSync();
    }
    this.opts.onResync?.();
  }

  /** One watch connection, from the last version seen until the server or the network ends it. */
  private watchOnce(): Promise<WatchEnd> {
    this.stats.watches++;
    const openedAt = Date.now();
    let events = 0;
    return new Promise<WatchEnd>((resolve) => {
      let settled = false;
      const finish = (end: WatchEnd) => {
        if (settled) return;
        settled = true;
        clearTimeout(idle);
        this.controller?.abort();
        this.controller = undefined;
        // A server that closes watches as soon as they open would otherwise be hammered in a tight loop.
        if (end === 'closed' && events === 0 && Date.now() - openedAt < 1000) end = 'error';
        if (end === 'error') this.stats.failures++;
        resolve(end);
      };
      // A watch that neither delivers nor ends (a half-open connection) is abandoned after its timeout.
      const idle = setTimeout(() => finish('error'), (this.opts.watchSeconds + 30) * 1000);
      idle.unref();
      const query: Record<string, string | number | boolean> = { allowWatchBookmarks: true, timeoutSeconds: this.opts.watchSeconds, resourceVersion: this.rv };
      if (this.opts.labelSelector !== undefined) query.labelSelector = this.opts.labelSelector;
      const onEvent = (type: string, obj: unknown) => {
        if (settled) return;
        events++;
        this.failures = 0;
        if (type === 'ERROR') {
          const status = obj as { code?: number; message?: string };
          this.opts.log?.(`${this.opts.name}: watch error ${status.code ?? '?'}: ${status.message ?? ''}`);
          return finish(status.code === 410 ? 'gone' : 'error');
        }
        this.apply(type, obj as T);
      };
      const onDone = (err: unknown) => {
        const code = (err as { statusCode?: number; code?: number } | null)?.statusCode;
        if (err) this.opts.log?.(`${this.opts.name}: watch ended: ${(err as Error).message ?? String(err)}`);
        finish(code === 410 ? 'gone' : err ? 'error' : 'closed');
      };
      this.opts.watch.watch(this.opts.path, query, onEvent, onDone).then(
        (controller) => {
          if (settled || this.stopped) controller.abort();
          else this.controller = controller;
        },
        (e: unknown) => onDone(e ?? new Error('watch failed')),
      );
      if (this.stopped) finish('closed');
    });
  }

  private apply(type: string, obj: T): void {
    const rv = obj.metadata?.resourceVersion;
    if (rv) this.rv = rv;
    if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') this.cache.apply(type, obj);
  }

  /** Sleep 2^failures × base (capped, with jitter); `stop()` cuts it short. */
  private backoff(): Promise<void> {
    const base = this.opts.backoffBaseMs ?? 200;
    const ms = Math.min(this.opts.backoffMaxMs, base * 2 ** Math.min(this.failures, 16)) * (0.5 + Math.random() / 2);
    this.failures++;
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
