/**
 * Resource arithmetic for the fake scheduler: Kubernetes quantities (`500m`, `64Gi`, `8`) as numbers, what
 * a pod requests, and what is still free on a node after the pods bound to it.
 */
import type { FakeObject } from './object-store.js';

const SUFFIX: Record<string, number> = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };

/** A quantity as a number (cpu in cores, memory in bytes, GPUs as a count); unparseable is 0. */
export function parseQuantity(q: unknown): number {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return 0;
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(q.trim());
  if (!m) return 0;
  return Number(m[1]) * (m[2] ? (SUFFIX[m[2]] ?? 0) : 1);
}

interface ContainerLike {
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  image?: string;
  env?: { name: string; value?: string }[];
}

/** The containers of a pod (typed loosely: the fake stores JSON). */
export function containersOf(pod: FakeObject): ContainerLike[] {
  return ((pod.spec?.containers as ContainerLike[] | undefined) ?? []).slice();
}

/** What a pod requests per resource (a limit alone counts as the request, as for extended resources). */
export function podRequests(pod: FakeObject): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of containersOf(pod)) {
    const names = new Set([...Object.keys(c.resources?.requests ?? {}), ...Object.keys(c.resources?.limits ?? {})]);
    for (const r of names) out[r] = (out[r] ?? 0) + parseQuantity(c.resources?.requests?.[r] ?? c.resources?.limits?.[r]);
  }
  return out;
}

/** Bound and not finished: the pod holds its node's resources. */
export function holdsNode(pod: FakeObject): boolean {
  const phase = pod.status?.phase;
  return typeof pod.spec?.nodeName === 'string' && pod.spec.nodeName !== '' && phase !== 'Succeeded' && phase !== 'Failed';
}

/** Free amount of each allocatable resource on a node, given all pods. */
export function freeOnNode(node: FakeObject, pods: readonly FakeObject[]): Record<string, number> {
  const alloc = (node.status?.allocatable as Record<string, unknown> | undefined) ?? {};
  const free: Record<string, number> = {};
  for (const [r, q] of Object.entries(alloc)) free[r] = parseQuantity(q);
  for (const p of pods) {
    if (!holdsNode(p) || p.spec?.nodeName !== node.metadata.name) continue;
    for (const [r, v] of Object.entries(podRequests(p))) free[r] = (free[r] ?? 0) - v;
  }
  return free;
}
