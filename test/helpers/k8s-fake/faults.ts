/**
 * Fault knobs of the fake API server, so tests can break it the ways real API servers break: internal
 * errors, connections reset before any answer, watches closed or cut, history compacted (410 Gone), and
 * images that cannot be pulled. Each knob is counted down as it fires.
 */
import type { IncomingMessage } from 'node:http';

/** Which requests a knob applies to (all when omitted). */
export interface RequestMatch {
  method?: string;
  /** Substring of the path, or a pattern. */
  path?: string | RegExp;
  /** Only watch requests (true) or only non-watch requests (false). */
  watch?: boolean;
}

interface Armed {
  left: number;
  match: RequestMatch;
  code?: number;
}

function matches(m: RequestMatch, req: IncomingMessage, url: URL): boolean {
  if (m.method && m.method.toUpperCase() !== req.method) return false;
  if (m.path !== undefined && !(typeof m.path === 'string' ? url.pathname.includes(m.path) : m.path.test(url.pathname))) return false;
  const isWatch = ['1', 'true'].includes(url.searchParams.get('watch') ?? '');
  return m.watch === undefined || m.watch === isWatch;
}

function take(list: Armed[], req: IncomingMessage, url: URL): Armed | undefined {
  const hit = list.find((a) => a.left > 0 && matches(a.match, req, url));
  if (hit) hit.left--;
  return hit;
}

/** The fault switches; the server consults them on every request. */
export class FakeFaults {
  private readonly errors: Armed[] = [];
  private readonly resets: Armed[] = [];
  private readonly gone: Armed[] = [];
  private readonly lostAnswers: Armed[] = [];
  private readonly badImages = new Set<string>();
  /** Requests seen, as `METHOD path` → count (watches as `WATCH path`). */
  readonly requests = new Map<string, number>();

  /** The next `n` matching requests get an HTTP error (default 500 InternalError). */
  failNext(n: number, match: RequestMatch = {}, code = 500): void {
    this.errors.push({ left: n, match, code });
  }

  /** The next `n` matching requests have their connection destroyed before any answer. */
  resetNext(n: number, match: RequestMatch = {}): void {
    this.resets.push({ left: n, match });
  }

  /**
   * The next `n` matching requests are carried out, then their connection is destroyed instead of answered:
   * the write happened but the client never hears of it (the case idempotency keys exist for).
   */
  loseAnswerNext(n: number, match: RequestMatch = {}): void {
    this.lostAnswers.push({ left: n, match });
  }

  /** The next `n` watches that ask for a resourceVersion get 410 Gone, whatever the history holds. */
  goneOnNextWatch(n = 1, match: RequestMatch = {}): void {
    this.gone.push({ left: n, match: { ...match, watch: true } });
  }

  /** Disarm every request knob (errors, resets, lost answers, forced 410s). */
  clear(): void {
    for (const list of [this.errors, this.resets, this.gone, this.lostAnswers]) list.length = 0;
  }

  /** Pods with this image never start: ErrImagePull, then ImagePullBackOff. */
  failImagePull(image: string): void {
    this.badImages.add(image);
  }

  /** True when pulling `image` fails. */
  imagePullFails(image: string | undefined): boolean {
    return image !== undefined && this.badImages.has(image);
  }

  /** Server side: count the request and say which fault, if any, applies. */
  check(req: IncomingMessage, url: URL): { reset: boolean; errorCode?: number; gone: boolean; loseAnswer?: boolean } {
    const isWatch = ['1', 'true'].includes(url.searchParams.get('watch') ?? '');
    const label = `${isWatch ? 'WATCH' : req.method} ${url.pathname}`;
    this.requests.set(label, (this.requests.get(label) ?? 0) + 1);
    if (take(this.resets, req, url)) return { reset: true, gone: false };
    const err = take(this.errors, req, url);
    if (err) return { reset: false, errorCode: err.code, gone: false };
    const gone = url.searchParams.has('resourceVersion') && isWatch ? take(this.gone, req, url) !== undefined : false;
    return { reset: false, gone, loseAnswer: take(this.lostAnswers, req, url) !== undefined };
  }

  /** How many requests matched `METHOD path` so far. */
  count(label: string): number {
    return this.requests.get(label) ?? 0;
  }
}
