/**
 * Token buckets keyed by a string (an API token id, a client address), bounded in number: the least
 * recently used bucket is dropped first, so a flood of distinct keys cannot grow memory — a dropped
 * bucket comes back full, which errs towards letting a request through.
 */

/** The answer for one request. */
export interface Take {
  ok: boolean;
  /** When refused: whole seconds until a request would be allowed (for Retry-After). */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets of `capacity` that refill at `perSecond`. */
export class KeyedTokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly perSecond: number,
    private readonly capacity: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  /** Take one token from `key`'s bucket. */
  take(key: string): Take {
    return this.takeN(key, 1);
  }

  /** Take `n` tokens (all or none). */
  takeN(key: string, n: number): Take {
    const b = this.current(key);
    if (b.tokens >= n) {
      b.tokens -= n;
      return { ok: true, retryAfterSeconds: 0 };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((n - b.tokens) / this.perSecond)) };
  }

  /** Whether `key`'s bucket is empty (without taking). */
  peek(key: string): Take {
    const b = this.buckets.get(key) ? this.current(key) : undefined;
    if (!b || b.tokens >= 1) return { ok: true, retryAfterSeconds: 0 };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.perSecond)) };
  }

  private current(key: string): Bucket {
    const t = this.now();
    let b = this.buckets.get(key);
    if (b) {
      this.buckets.delete(key); // re-insert: Map order is recency order
      b.tokens = Math.min(this.capacity, b.tokens + ((t - b.at) / 1000) * this.perSecond);
      b.at = t;
    } else {
      b = { tokens: this.capacity, at: t };
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    }
    this.buckets.set(key, b);
    return b;
  }
}
