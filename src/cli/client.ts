/**
 * The REST client the user commands share: JSON in and out, the bearer token on every request, and
 * failures as `CliError`s that carry the server's own message (or say plainly that the server cannot be
 * reached) and the exit code the command should end with.
 */

/** Exit codes of the user commands. */
export const EXIT = {
  /** The server refused the request, or a watched job did not succeed. */
  failed: 1,
  /** A bad flag, argument or job file. */
  usage: 2,
  /** The server could not be reached. */
  unreachable: 3,
} as const;

/** A failure to report as `ncg: <message>` and exit with `exitCode`. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
    /** The server's error code (`invalid`, `not_found`, …) when the server answered. */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** A query string value: absent values are left out. */
export type Query = Record<string, string | number | undefined>;

/** Options of one request. */
export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A JSON response and its status. */
export interface Reply<T> {
  status: number;
  body: T;
}

/** How long one request may take before the CLI gives up. */
const REQUEST_TIMEOUT_MS = 30_000;

function queryString(query: Query | undefined): string {
  const entries = Object.entries(query ?? {}).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '');
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
}

/** The network-level reason of a failed fetch (ECONNREFUSED, ENOTFOUND, …). */
function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err as Error)?.message ?? String(err);
}

/** A client for one server and token. */
export class NcgClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** Send a request; resolves with the JSON body of a 2xx answer, throws CliError otherwise. */
  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<Reply<T>> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}${path}${queryString(opts.query)}`;
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${this.token}`, ...opts.headers };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (err) {
      const why = (err as Error)?.name === 'TimeoutError' ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : causeOf(err);
      throw new CliError(`cannot reach the ncg server at ${this.baseUrl} (${why}); is it running? Set NCG_URL to its address`, EXIT.unreachable);
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      throw new CliError(`the server at ${this.baseUrl} answered ${res.status} with something that is not JSON; is NCG_URL the ncg REST address?`);
    }
    if (!res.ok) throw errorFrom(res.status, body);
    return { status: res.status, body: body as T };
  }

  /** GET a JSON body. */
  async get<T>(path: string, query?: Query): Promise<T> {
    return (await this.request<T>('GET', path, query ? { query } : {})).body;
  }
}

/** The server's `{"error":{"code","message"}}` as a CliError (its message verbatim). */
function errorFrom(status: number, body: unknown): CliError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const message = typeof error?.message === 'string' ? error.message : `the server answered HTTP ${status}`;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const hint = status === 401 ? ' (check NCG_TOKEN)' : '';
  return new CliError(`${message}${hint}`, EXIT.failed, code);
}
