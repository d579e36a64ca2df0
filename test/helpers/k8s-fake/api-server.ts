/**
 * The fake's HTTP front: the real REST paths and verbs for namespaces, nodes, pods, services and
 * batch/v1 jobs (namespaced and cluster-wide collections), JSON bodies, `Status` errors, bearer-token auth,
 * watches, and the fault knobs applied before any handler runs. Objects are validated on create with the
 * same OpenAPI schemas the manifest tests use, so an invalid Job is a 422 here as on a real cluster.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeFaults } from './faults.js';
import { NAMESPACED, type FakeObject, type Kind, type ObjectStore } from './object-store.js';
import { fieldSelector, labelSelector } from './selectors.js';
import { HttpStatusError, failure, resourceLabel, success, type StatusObject } from './status.js';
import { validateObject } from './validate.js';
import { serveWatch, type OpenWatch } from './watch-stream.js';

const RESOURCES: Record<string, { kind: Kind; prefix: '/api/v1' | '/apis/batch/v1' }> = {
  namespaces: { kind: 'Namespace', prefix: '/api/v1' },
  nodes: { kind: 'Node', prefix: '/api/v1' },
  pods: { kind: 'Pod', prefix: '/api/v1' },
  services: { kind: 'Service', prefix: '/api/v1' },
  jobs: { kind: 'Job', prefix: '/apis/batch/v1' },
};

const PATH = /^(\/api\/v1|\/apis\/batch\/v1)(?:\/namespaces\/([^/]+))?\/(namespaces|nodes|pods|services|jobs)(?:\/([^/]+))?$/;

/** What the server needs from the rest of the fake. */
export interface ApiServerDeps {
  store: ObjectStore;
  faults: FakeFaults;
  token: string;
  bookmarkMs: number;
  /** Called for a delete with its propagation policy, after the object is gone (the garbage collector). */
  onDeleted: (kind: Kind, obj: FakeObject, policy: string) => void;
}

/** The listening server and its open watches. */
export interface ApiServer {
  url: string;
  watches: Set<OpenWatch>;
  close(): Promise<void>;
}

/** Responses whose answer a fault swallows: the work is done, the connection is cut instead. */
const swallowed = new WeakSet<ServerResponse>();

function send(res: ServerResponse, code: number, body: unknown): void {
  if (swallowed.has(res)) return void res.socket?.destroy();
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new HttpStatusError('BadRequest', 'request body is not JSON');
  }
}

/** Start listening on 127.0.0.1 at an ephemeral port. */
export async function startApiServer(deps: ApiServerDeps): Promise<ApiServer> {
  const watches = new Set<OpenWatch>();
  const server: Server = createServer((req, res) => {
    handle(deps, watches, req, res).catch((e: unknown) => {
      const status: StatusObject = e instanceof HttpStatusError ? e.status : failure('InternalError', (e as Error).message);
      if (!res.headersSent) send(res, status.code, status);
      else res.destroy();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    watches,
    close: () =>
      new Promise<void>((r) => {
        for (const w of watches) w.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function handle(deps: ApiServerDeps, watches: Set<OpenWatch>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake');
  const fault = deps.faults.check(req, url);
  if (fault.reset) return void req.socket.destroy();
  if (fault.loseAnswer) swallowed.add(res);
  if (req.headers.authorization !== `Bearer ${deps.token}`) throw new HttpStatusError('Unauthorized', 'Unauthorized');
  if (fault.errorCode !== undefined) return send(res, fault.errorCode, { ...failure('InternalError', 'injected fault: etcdserver: request timed out'), code: fault.errorCode });
  if (url.pathname === '/version') return send(res, 200, { major: '1', minor: '31', gitVersion: 'v1.31.0-ncg-fake' });
  const m = PATH.exec(url.pathname);
  const route = m ? RESOURCES[m[3]!] : undefined;
  if (!m || !route || route.prefix !== m[1] || (m[2] !== undefined && !NAMESPACED.has(route.kind))) throw new HttpStatusError('NotFound', `the server could not find the requested resource (${url.pathname})`);
  const { kind } = route;
  const namespace = m[2];
  const name = m[4] === undefined ? undefined : decodeURIComponent(m[4]);
  const apiVersion = kind === 'Job' ? 'batch/v1' : 'v1';
  const q = url.searchParams;
  const { store } = deps;

  if (req.method === 'GET' && name === undefined) {
    const matches = ((l, f) => (o: FakeObject) => l(o) && f(o))(labelSelector(q.get('labelSelector')), fieldSelector(q.get('fieldSelector')));
    if (['1', 'true'].includes(q.get('watch') ?? '')) {
      const w = serveWatch(
        store,
        { kind, apiVersion, namespace, matches, resourceVersion: q.get('resourceVersion') ?? undefined, bookmarks: q.get('allowWatchBookmarks') === 'true', timeoutSeconds: q.has('timeoutSeconds') ? Number(q.get('timeoutSeconds')) : undefined },
        res,
        { bookmarkMs: deps.bookmarkMs, forceGone: fault.gone, onEnd: () => watches.delete(w) },
      );
      watches.add(w);
      return;
    }
    const all = store.list(kind, namespace).filter(matches);
    const limit = Number(q.get('limit') ?? 0);
    const items = limit > 0 ? all.slice(0, limit) : all;
    // Real list items carry no kind/apiVersion; only the list does.
    const bare = items.map(({ kind: _k, apiVersion: _a, ...rest }) => rest);
    const meta: Record<string, string> = { resourceVersion: String(store.version()) };
    if (items.length < all.length) meta.continue = 'fake-continue-token';
    return send(res, 200, { kind: `${kind}List`, apiVersion, metadata: meta, items: bare });
  }
  if (namespace === undefined && NAMESPACED.has(kind)) throw new HttpStatusError('MethodNotAllowed', `${req.method} needs a namespace: ${url.pathname}`);
  if (req.method === 'GET') {
    const obj = store.get(kind, namespace, name!);
    if (!obj) throw new HttpStatusError('NotFound', `${resourceLabel(kind)} "${name}" not found`, { name, kind: resourceLabel(kind) });
    return send(res, 200, obj);
  }
  if (req.method === 'POST' && name === undefined) {
    const body = (await readBody(req)) as FakeObject | undefined;
    if (!body?.metadata?.name) throw new HttpStatusError('Invalid', `${kind} "" is invalid: metadata.name: Required value`);
    if (body.metadata.namespace !== undefined && namespace !== undefined && body.metadata.namespace !== namespace) {
      throw new HttpStatusError('BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
    }
    if (namespace !== undefined && !store.get('Namespace', undefined, namespace)) throw new HttpStatusError('NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
    validateObject(kind, body);
    const created = store.create(kind, { ...body, kind, apiVersion, metadata: { ...body.metadata, ...(namespace !== undefined ? { namespace } : {}) }, status: kind === 'Namespace' ? { phase: 'Active' } : (body.status ?? {}) });
    return send(res, 201, created);
  }
  if (req.method === 'PUT' && name !== undefined) {
    const body = (await readBody(req)) as FakeObject | undefined;
    if (!body) throw new HttpStatusError('BadRequest', 'empty body');
    validateObject(kind, body);
    const updated = store.update(kind, namespace, name, (o) => {
      if (body.metadata.resourceVersion !== undefined && body.metadata.resourceVersion !== o.metadata.resourceVersion) {
        throw new HttpStatusError('Conflict', `Operation cannot be fulfilled on ${resourceLabel(kind)} "${name}": the object has been modified; please apply your changes to the latest version and try again`);
      }
      o.metadata.labels = body.metadata.labels;
      o.metadata.annotations = body.metadata.annotations;
      if (body.spec) o.spec = body.spec;
    });
    return send(res, 200, updated);
  }
  if (req.method === 'DELETE' && name !== undefined) {
    const body = await readBody(req);
    const existing = store.get(kind, namespace, name);
    if (!existing) throw new HttpStatusError('NotFound', `${resourceLabel(kind)} "${name}" not found`, { name, kind: resourceLabel(kind) });
    const pre = (body?.preconditions as { uid?: string } | undefined)?.uid;
    if (pre !== undefined && pre !== existing.metadata.uid) {
      throw new HttpStatusError('Conflict', `Precondition failed: UID in precondition: ${pre}, UID in object meta: ${existing.metadata.uid}`);
    }
    // batch/v1 Jobs orphan their pods unless told otherwise (a long-standing API default).
    const policy = q.get('propagationPolicy') ?? (body?.propagationPolicy as string | undefined) ?? (kind === 'Job' ? 'Orphan' : 'Background');
    const gone = store.delete(kind, namespace, name);
    deps.onDeleted(kind, gone, policy);
    return send(res, 200, success({ name, kind: resourceLabel(kind) }));
  }
  throw new HttpStatusError('MethodNotAllowed', `${req.method} is not supported on ${url.pathname}`);
}
