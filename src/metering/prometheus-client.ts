/**
 * A small client for Prometheus' HTTP API (`/api/v1/query`, `/api/v1/query_range`), with a timeout per
 * attempt and bounded retries for failures that may pass. Two kinds of failure, because the meter treats
 * them differently:
 *   PrometheusUnavailableError  unreachable, timed out, 5xx, 429: try later; meanwhile write estimates
 *   PrometheusQueryError        4xx with `bad_data` and the like: the query (configuration) is wrong
 * Queries go as POST form bodies: templates with long label matchers can outgrow a URL.
 */

/** One series of a range result: labels, and [epoch seconds, value] pairs. */
export interface RangeSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

/** One series of an instant result. */
export interface InstantSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** How to reach Prometheus. */
export interface PrometheusClientOptions {
  url: string;
  timeoutMs?: number;
  retries?: number;
  retryBackoffMs?: number;
  headers?: Record<string, string>;
  /** Injected in tests; default the global fetch. */
  fetch?: typeof fetch;
}

/** Prometheus did not answer usefully (network, timeout, 5xx, 429) after every attempt. */
export class PrometheusUnavailableError extends Error {
  override readonly name = 'PrometheusUnavailableError';
}

/** Prometheus refused the query itself (4xx): retrying will not help. */
export class PrometheusQueryError extends Error {
  override readonly name = 'PrometheusQueryError';
  constructor(message: string, readonly status: number, readonly errorType?: string) {
    super(message);
  }
}

interface ApiBody {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

/** A Prometheus HTTP API client. */
export class PrometheusClient {
  readonly url: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly headers: Record<string, string>;
  private readonly fetchFn: typeof fetch;

  constructor(options: PrometheusClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = options.retries ?? 3;
    this.backoffMs = options.retryBackoffMs ?? 500;
    this.headers = options.headers ?? {};
    this.fetchFn = options.fetch ?? fetch;
  }

  /** Evaluate `query` at `time` (epoch seconds). */
  async query(query: string, time: number): Promise<InstantSample[]> {
    const data = await this.call('/api/v1/query', { query, time: String(time) }, 'vector');
    return data as InstantSample[];
  }

  /** Evaluate `query` at start, start+step, … ≤ end (epoch seconds); values are strings as Prometheus sends them. */
  async queryRange(query: string, start: number, end: number, stepSeconds: number): Promise<RangeSeries[]> {
    const data = await this.call('/api/v1/query_range', { query, start: String(start), end: String(end), step: String(stepSeconds) }, 'matrix');
    return (data as { metric: Record<string, string>; values: [number, string][] }[]).map((s) => ({ metric: s.metric, values: s.values }));
  }

  private async call(path: string, params: Record<string, string>, resultType: string): Promise<unknown> {
    let last: Error = new PrometheusUnavailableError(`Prometheus at ${this.url} was not asked`);
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) await sleep(this.backoffMs * 2 ** (attempt - 1));
      try {
        return await this.once(path, params, resultType);
      } catch (err) {
        if (err instanceof PrometheusQueryError) throw err;
        last = err as Error;
      }
    }
    throw new PrometheusUnavailableError(`Prometheus at ${this.url} is unavailable after ${this.retries + 1} attempts: ${last.message}`);
  }

  private async once(path: string, params: Record<string, string>, resultType: string): Promise<unknown> {
    let res: Response;
    try {
      res = await this.fetchFn(`${this.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...this.headers },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const e = err as Error;
      const why = e.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : (e.cause as Error | undefined)?.message ?? e.message;
      throw new PrometheusUnavailableError(why);
    }
    const text = await res.text().catch(() => '');
    let body: ApiBody | undefined;
    try {
      body = JSON.parse(text) as ApiBody;
    } catch {
      body = undefined;
    }
    if (res.status >= 500 || res.status === 429) throw new PrometheusUnavailableError(`HTTP ${res.status}${body?.error ? `: ${body.error}` : ''}`);
    if (res.status >= 400 || body?.status === 'error') {
      throw new PrometheusQueryError(`Prometheus refused the query (HTTP ${res.status}, ${body?.errorType ?? 'no error type'}): ${body?.error ?? text.slice(0, 300)}`, res.status, body?.errorType);
    }
    if (!body || body.status !== 'success' || body.data?.resultType !== resultType || !Array.isArray(body.data.result)) {
      throw new PrometheusUnavailableError(`unexpected answer from ${path} (HTTP ${res.status}): ${text.slice(0, 200)}`);
    }
    return body.data.result;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
