/**
 * A `?watch=1` response: newline-delimited JSON events, as the API server streams them. From version 0 (or
 * none) it starts with ADDED for what exists; from version N it replays history after N — or sends an
 * ERROR event carrying a 410 `Status` and ends, when N is older than the compacted history. Objects that
 * start or stop matching the selectors arrive as ADDED / DELETED, like the real server's filtering.
 */
import type { ServerResponse } from 'node:http';
import type { FakeObject, Kind, ObjectStore, StoreEvent } from './object-store.js';
import { failure } from './status.js';

/** What one watch request asks for. */
export interface WatchRequest {
  kind: Kind;
  apiVersion: string;
  namespace?: string;
  matches: (o: FakeObject) => boolean;
  resourceVersion?: string;
  bookmarks: boolean;
  timeoutSeconds?: number;
}

/** An open watch, so the fake's fault knobs can end it. */
export interface OpenWatch {
  /** End the stream cleanly (the server closed it). */
  close(): void;
  /** Destroy the connection (a network failure). */
  destroy(): void;
}

/** Serve one watch until the client goes, the timeout passes or a knob ends it. */
export function serveWatch(store: ObjectStore, req: WatchRequest, res: ServerResponse, opts: { bookmarkMs: number; forceGone: boolean; onEnd: () => void }): OpenWatch {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
  const write = (type: string, object: unknown) => {
    if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const inScope = (o: FakeObject) => (req.namespace === undefined || o.metadata.namespace === req.namespace) && req.matches(o);
  const deliver = (ev: StoreEvent) => {
    if (ev.kind !== req.kind) return;
    const now = inScope(ev.object);
    const before = ev.prev !== undefined && inScope(ev.prev);
    if (ev.type === 'ADDED' && now) write('ADDED', ev.object);
    else if (ev.type === 'DELETED' && (now || before)) write('DELETED', ev.object);
    else if (ev.type === 'MODIFIED') {
      if (now && before) write('MODIFIED', ev.object);
      else if (now) write('ADDED', ev.object);
      else if (before) write('DELETED', ev.object);
    }
  };
  const timers: NodeJS.Timeout[] = [];
  let unsubscribe: () => void = () => undefined;
  const end = () => {
    unsubscribe();
    // clearTimeout clears intervals too.
    for (const t of timers) clearTimeout(t);
    opts.onEnd();
  };
  res.on('close', end);

  const from = req.resourceVersion === undefined || req.resourceVersion === '' || req.resourceVersion === '0' ? undefined : Number(req.resourceVersion);
  const replay = from === undefined ? [] : opts.forceGone || Number.isNaN(from) ? 'gone' : store.replay(req.kind, from);
  if (replay === 'gone') {
    const status = failure('Expired', `too old resource version: ${req.resourceVersion} (${store.version()})`);
    write('ERROR', { ...status, code: 410 });
    res.end();
    return { close: () => undefined, destroy: () => undefined };
  }
  if (from === undefined) {
    for (const o of store.list(req.kind)) if (inScope(o)) write('ADDED', o);
  } else {
    for (const ev of replay) deliver(ev);
  }
  unsubscribe = store.subscribe(deliver);
  if (req.bookmarks) {
    const t = setInterval(() => write('BOOKMARK', { kind: req.kind, apiVersion: req.apiVersion, metadata: { resourceVersion: String(store.version()) } }), opts.bookmarkMs);
    t.unref();
    timers.push(t);
  }
  if (req.timeoutSeconds !== undefined && req.timeoutSeconds > 0) {
    const t = setTimeout(() => res.end(), req.timeoutSeconds * 1000);
    t.unref();
    timers.push(t);
  }
  return { close: () => res.end(), destroy: () => res.socket?.destroy() };
}
