/**
 * A submission load through several ncg replicas, as clients behind a load balancer produce it: each
 * replica gets its own stream of POST /v1/jobs, every submission carrying a fresh Idempotency-Key. A
 * submission that fails (connection refused or reset, a 5xx) is retried with the same key — against the
 * next replica still in rotation — until it gets an answer, so at the end every key has a definite
 * outcome and "acknowledged" means a 2xx a client saw. Every call's outcome is recorded per replica, so a
 * test can say which replica failed calls, and when.
 */

/** One HTTP call the load made. */
export interface CallRecord {
  target: string;
  key: string;
  /** HTTP status, or 0 when there was no answer (refused, reset, timeout). */
  status: number;
  error?: string;
  at: number;
  ms: number;
}

/** A replica the load sends to; `active` false takes it out of rotation (the load balancer saw it go). */
export interface LoadTarget {
  name: string;
  url: string;
  active: boolean;
}

/** How to run a load. */
export interface SubmitLoadOptions {
  targets: LoadTarget[];
  token: string;
  /** The job body of submission number `n`. */
  body: (n: number) => Record<string, unknown>;
  /** Pause between one stream's submissions, ms (default 100). */
  pauseMs?: number;
  /** Prefix of the idempotency keys (default `ha`). */
  keyPrefix?: string;
  /** How long one submission is retried before the load fails, ms (default 60 000). */
  retryForMs?: number;
}

/** A running load. */
export class SubmitLoad {
  /** Idempotency key → job id, for every submission a replica acknowledged (2xx). */
  readonly acked = new Map<string, { jobId: string; via: string; at: number }>();
  readonly calls: CallRecord[] = [];
  private n = 0;
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(private readonly opts: SubmitLoadOptions) {}

  /** Start one stream per target. */
  start(): void {
    this.running = true;
    this.loops = this.opts.targets.map((t) => this.stream(t));
  }

  /** Stop starting new submissions and wait for those in flight (retries included) to get an answer. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Calls to `target` that got no 2xx, optionally only those after `since`. */
  failures(target: string, since = 0): CallRecord[] {
    return this.calls.filter((c) => c.target === target && c.at >= since && (c.status < 200 || c.status >= 300));
  }

  private async stream(home: LoadTarget): Promise<void> {
    const pause = this.opts.pauseMs ?? 100;
    while (this.running) {
      if (home.active) await this.submit(home, ++this.n);
      await new Promise((r) => setTimeout(r, pause));
    }
  }

  /** Submit number `n` starting at `first`, retrying on other replicas until one answers. */
  private async submit(first: LoadTarget, n: number): Promise<void> {
    const key = `${this.opts.keyPrefix ?? 'ha'}-${n}`;
    const body = JSON.stringify(this.opts.body(n));
    let target = first;
    let last: CallRecord | undefined;
    // Outages in these tests last seconds; a minute without any answer is a failure of its own.
    const deadline = Date.now() + (this.opts.retryForMs ?? 60_000);
    while (Date.now() < deadline) {
      const rec = (last = await this.call(target, key, body));
      if (rec.status >= 200 && rec.status < 300) return;
      if (rec.status >= 400 && rec.status < 500) throw new Error(`submission ${key} refused by ${target.name}: ${rec.status} ${rec.error ?? ''}`);
      await new Promise((r) => setTimeout(r, 100));
      target = this.next(target);
    }
    throw new Error(`submission ${key} got no 2xx within ${this.opts.retryForMs ?? 60_000} ms; last answer: ${JSON.stringify(last)}`);
  }

  private next(after: LoadTarget): LoadTarget {
    const active = this.opts.targets.filter((t) => t.active);
    if (active.length === 0) return after;
    const i = active.indexOf(after);
    return active[(i + 1) % active.length]!;
  }

  private async call(target: LoadTarget, key: string, body: string): Promise<CallRecord> {
    const at = Date.now();
    const rec: CallRecord = { target: target.name, key, status: 0, at, ms: 0 };
    try {
      const res = await fetch(`${target.url}/v1/jobs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.opts.token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body,
        signal: AbortSignal.timeout(15_000),
      });
      rec.status = res.status;
      const json = (await res.json().catch(() => ({}))) as { id?: string; error?: { message?: string } };
      if (res.ok && json.id) this.acked.set(key, { jobId: json.id, via: target.name, at: Date.now() });
      else if (!res.ok) rec.error = json.error?.message ?? res.statusText;
    } catch (e) {
      rec.error = (e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message;
    }
    rec.ms = Date.now() - at;
    this.calls.push(rec);
    return rec;
  }
}
