/**
 * The HTTP layer over slurmrestd: JWT headers, a timeout per request, JSON both ways, and the first cut of
 * error handling — transport failures and refused tokens become SlurmUnavailableError here; everything
 * else comes back with its `errors[]` for the caller to judge (`expectOk`).
 */
import type { SlurmCredentials } from './auth.js';
import {
  Backoff,
  SlurmRefusedError,
  SlurmUnavailableError,
  describeSlurmErrors,
  isAuthFailure,
  isPermanentRefusal,
  readSlurmErrors,
  type SlurmApiError,
} from './errors.js';

/** An answer of slurmrestd. */
export interface SlurmResponse {
  status: number;
  body: unknown;
  errors: SlurmApiError[];
}

/** What the client needs. */
export interface SlurmHttpOptions {
  baseUrl: string;
  credentials: SlurmCredentials;
  timeoutMs: number;
  backoff: Backoff;
  fetch?: typeof fetch;
}

/** Which user a request acts as, and its JSON body. */
export interface SlurmRequest {
  as: string;
  body?: unknown;
}

/** Sends requests to one slurmrestd. */
export class SlurmHttpClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: SlurmHttpOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? fetch;
  }

  /**
   * One request. A refused token is refreshed and the request retried once — except a POST, which is not
   * repeated blindly: the caller's idempotency check decides whether a job was made.
   */
  async request(method: 'GET' | 'POST' | 'DELETE', path: string, req: SlurmRequest): Promise<SlurmResponse> {
    let res = await this.send(method, path, req);
    if (isAuthFailure(res.status, res.errors) && method !== 'POST') {
      this.options.credentials.invalidate();
      res = await this.send(method, path, req);
    }
    if (isAuthFailure(res.status, res.errors)) {
      this.options.credentials.invalidate();
      const known = await this.options.credentials.problem();
      const detail = `HTTP ${res.status}${res.errors.length ? `: ${describeSlurmErrors(res.errors)}` : ''}`;
      throw this.unavailable(`${method} ${path}: slurmrestd refused the credentials of ${req.as} (${detail}); ${known ?? 'an expired or invalid token looks like this: check the token or JWT key (slurmctld logs the cause)'}`, res);
    }
    return res;
  }

  /** The body of a successful answer; otherwise SlurmRefusedError (permanent) or SlurmUnavailableError. */
  expectOk(res: SlurmResponse, what: string): unknown {
    if (res.status >= 200 && res.status < 300 && res.errors.length === 0) {
      this.options.backoff.succeed();
      return res.body;
    }
    const detail = res.errors.length ? describeSlurmErrors(res.errors) : `HTTP ${res.status}`;
    if (isPermanentRefusal(res.status, res.errors)) {
      // The cluster answered sensibly: it is up, it just does not want this request.
      this.options.backoff.succeed();
      throw new SlurmRefusedError(`${what}: Slurm refused: ${detail}`, res.errors);
    }
    throw this.unavailable(`${what}: slurmrestd failed: ${detail}`, res);
  }

  /** Marks a non-2xx answer the caller understood (e.g. unknown job id) as proof the cluster is up. */
  answered(): void {
    this.options.backoff.succeed();
  }

  private async send(method: string, path: string, req: SlurmRequest): Promise<SlurmResponse> {
    const headers: Record<string, string> = { ...(await this.options.credentials.headers(req.as)), Accept: 'application/json' };
    if (req.body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      text = await response.text();
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
      throw this.unavailable(`${method} ${path}: slurmrestd at ${this.baseUrl} unreachable (${cause}: ${(e as Error).message})`);
    }
    const body = parseJson(text);
    return { status: response.status, body, errors: readSlurmErrors(body) };
  }

  private unavailable(message: string, res?: SlurmResponse): SlurmUnavailableError {
    const retryAfterMs = this.options.backoff.fail();
    return new SlurmUnavailableError(`${message} (retry in ${Math.round(retryAfterMs / 1000)} s)`, retryAfterMs, res?.status, res?.errors ?? []);
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // 401 answers are plain text ("Authentication failure"); keep the words for the message.
    return { errors: [{ error: text.trim().slice(0, 200) }] };
  }
}
