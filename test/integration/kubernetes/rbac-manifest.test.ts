/**
 * The RBAC manifests in deploy/kubernetes: every object passes the official schemas, the rules grant
 * exactly the verbs documented, and every request the adapter makes in a full lifecycle on the fake (read
 * from the fake's request log) is allowed by them — so the manifests are neither too wide nor too narrow.
 */
import { readFile } from 'node:fs/promises';
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { Namespace, ServiceAccount } from 'kubernetes-models/v1';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { fakeRequest, startFakeSetup, stateOf, type FakeSetup } from './fake-harness.js';

interface Doc {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
}

const MODELS: Record<string, new (d: never) => { validate(): void }> = { ClusterRole, ClusterRoleBinding, Role, RoleBinding, Namespace, ServiceAccount } as never;

async function load(file: string): Promise<Doc[]> {
  const text = await readFile(new URL(`../../../deploy/kubernetes/${file}`, import.meta.url), 'utf8');
  return parseAllDocuments(text).map((d) => d.toJS() as Doc);
}

/** `scope group/resource` → verbs, scope being `cluster` or the Role's namespace. */
function grants(docs: Doc[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const d of docs.filter((x) => x.kind === 'ClusterRole' || x.kind === 'Role')) {
    const scope = d.kind === 'ClusterRole' ? 'cluster' : d.metadata.namespace!;
    for (const r of d.rules ?? []) for (const g of r.apiGroups) for (const res of r.resources) {
      const k = `${scope} ${g}/${res}`;
      out.set(k, new Set([...(out.get(k) ?? []), ...r.verbs]));
    }
  }
  return out;
}

const PATH = /^\/(?:api\/v1|apis\/(batch)\/v1)(?:\/namespaces\/([^/]+))?\/(namespaces|nodes|pods|services|jobs)(?:\/([^/]+))?$/;

/** Is `METHOD path` (from the fake's log) allowed by these grants? */
function allowed(g: Map<string, Set<string>>, label: string): boolean {
  const [method, path] = label.split(' ') as [string, string];
  if (path === '/version') return true;
  const m = PATH.exec(path)!;
  const [, group = '', ns, resource, name] = m;
  const verb = method === 'WATCH' ? 'watch' : method === 'GET' ? (name ? 'get' : 'list') : method === 'POST' ? 'create' : method === 'DELETE' ? 'delete' : method.toLowerCase();
  const subject = resource === 'namespaces' && name ? undefined : ns;
  const can = (scope: string) => g.get(`${scope} ${group}/${resource}`)?.has(verb) ?? false;
  return can('cluster') || (subject !== undefined && can(subject));
}

let setup: FakeSetup;
afterEach(async () => {
  await setup?.close();
});

/** Run every adapter operation once, with a gang so the Service path is used. */
async function exercise(s: FakeSetup): Promise<string[]> {
  await s.adapter.inventory();
  await s.adapter.health();
  await s.adapter.submit(fakeRequest('rbac-1', { durationSeconds: 3600 }));
  await s.adapter.submit(fakeRequest('rbac-2', { nodes: ['gpu-h100-2', 'gpu-h100-3'], durationSeconds: 3600 }));
  await stateOf(s.adapter, 'rbac-2', ['running']);
  await s.adapter.cancel('rbac-1');
  await s.adapter.cancel('rbac-2');
  return [...s.fake.faults.requests.keys()];
}

describe('deploy/kubernetes RBAC', () => {
  for (const file of ['ncg-rbac.yaml', 'ncg-rbac-per-institution.yaml']) {
    it(`${file}: every object validates against the Kubernetes schemas`, async () => {
      const docs = await load(file);
      expect(docs.length).toBeGreaterThan(3);
      for (const d of docs) expect(() => new MODELS[d.kind]!(d as never).validate(), `${d.kind} ${d.metadata.name}`).not.toThrow();
    });
  }

  it('an invalid RBAC object fails validation (the check can fail)', async () => {
    const role = (await load('ncg-rbac.yaml')).find((d) => d.kind === 'Role')!;
    expect(() => new Role({ ...role, rules: [{ apiGroups: ['batch'], resources: ['jobs'] }] } as never).validate()).toThrow(/verbs/);
  });

  it('single-namespace mode grants exactly the documented verbs, and covers every request the adapter makes', async () => {
    const g = grants(await load('ncg-rbac.yaml'));
    expect(Object.fromEntries([...g].map(([k, v]) => [k, [...v].sort()]))).toEqual({
      'cluster /nodes': ['get', 'list', 'watch'],
      'cluster /pods': ['get', 'list', 'watch'],
      'ncg batch/jobs': ['create', 'delete', 'get', 'list', 'watch'],
      'ncg /services': ['create', 'delete', 'get'],
    });
    setup = await startFakeSetup();
    const requests = await exercise(setup);
    expect(requests.filter((r) => !allowed(g, r))).toEqual([]);
  });

  it('per-institution mode grants exactly the documented verbs, and covers every request the adapter makes', async () => {
    const g = grants(await load('ncg-rbac-per-institution.yaml'));
    expect(Object.fromEntries([...g].map(([k, v]) => [k, [...v].sort()]))).toEqual({
      'cluster /nodes': ['get', 'list', 'watch'],
      'cluster /pods': ['get', 'list', 'watch'],
      'cluster batch/jobs': ['create', 'delete', 'get', 'list', 'watch'],
      'cluster /services': ['create', 'delete', 'get'],
      'cluster /namespaces': ['create', 'get'],
    });
    setup = await startFakeSetup({ config: { namespaceMode: 'per-institution' } });
    const requests = await exercise(setup);
    expect(requests.some((r) => r.startsWith('POST /api/v1/namespaces'))).toBe(true);
    expect(requests.filter((r) => !allowed(g, r))).toEqual([]);
    // The single-namespace grants would not do here: the check is not vacuous.
    const narrow = grants(await load('ncg-rbac.yaml'));
    expect(requests.filter((r) => !allowed(narrow, r)).length).toBeGreaterThan(0);
  });
});
