/**
 * The fake kube-scheduler: binds each pending pod to the first node (by name) that is Ready and not
 * cordoned, matches its node selector and required node affinity, tolerates its taints, keeps required
 * pod anti-affinity (hostname topology), and has the CPU, memory and GPUs free. A pod that fits nowhere
 * gets `PodScheduled=False, reason Unschedulable` with a message in the real server's style.
 */
import type { FakeObject, ObjectStore } from './object-store.js';
import { freeOnNode, holdsNode, podRequests } from './resources.js';

interface Requirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

interface PodScheduling {
  nodeSelector?: Record<string, string>;
  tolerations?: { key?: string; operator?: string; value?: string; effect?: string }[];
  affinity?: {
    nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: { matchExpressions?: Requirement[]; matchFields?: Requirement[] }[] } };
    podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { labelSelector?: { matchLabels?: Record<string, string> }; topologyKey: string }[] };
  };
}

function satisfied(r: Requirement, value: string | undefined): boolean {
  switch (r.operator) {
    case 'In':
      return value !== undefined && (r.values ?? []).includes(value);
    case 'NotIn':
      return value === undefined || !(r.values ?? []).includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
  }
}

/** Why a node cannot take a pod, or undefined if it can. */
function misfit(pod: FakeObject, node: FakeObject, pods: readonly FakeObject[]): string | undefined {
  const spec = (pod.spec ?? {}) as PodScheduling;
  const labels = node.metadata.labels ?? {};
  const ready = (node.status?.conditions as { type: string; status: string }[] | undefined)?.find((c) => c.type === 'Ready')?.status === 'True';
  if (!ready) return "node(s) had untolerated taint {node.kubernetes.io/not-ready: }";
  if (node.spec?.unschedulable) return 'node(s) were unschedulable';
  if (Object.entries(spec.nodeSelector ?? {}).some(([k, v]) => labels[k] !== v)) return "node(s) didn't match Pod's node affinity/selector";
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && !terms.some((t) => (t.matchExpressions ?? []).every((r) => satisfied(r, labels[r.key])) && (t.matchFields ?? []).every((r) => satisfied(r, r.key === 'metadata.name' ? node.metadata.name : undefined)))) {
    return "node(s) didn't match Pod's node affinity/selector";
  }
  const taints = (node.spec?.taints as { key: string; value?: string; effect: string }[] | undefined) ?? [];
  for (const taint of taints) {
    if (taint.effect === 'PreferNoSchedule') continue;
    const ok = (spec.tolerations ?? []).some(
      (t) => (t.key === taint.key || (t.key === undefined && t.operator === 'Exists')) && (t.operator === 'Exists' || t.value === taint.value) && (!t.effect || t.effect === taint.effect),
    );
    if (!ok) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
  }
  for (const term of spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
    const want = term.labelSelector?.matchLabels ?? {};
    const clash = pods.some((p) => p.metadata.uid !== pod.metadata.uid && holdsNode(p) && p.spec?.nodeName === node.metadata.name && Object.entries(want).every(([k, v]) => p.metadata.labels?.[k] === v));
    if (clash) return "node(s) didn't match pod anti-affinity rules";
  }
  const free = freeOnNode(node, pods);
  for (const [r, need] of Object.entries(podRequests(pod))) {
    if (need > 0 && (free[r] ?? 0) < need) return `Insufficient ${r}`;
  }
  return undefined;
}

/** Try to bind every pending pod; returns how many were bound. */
export function schedulePending(store: ObjectStore, nowIso: string): number {
  const nodes = store.list('Node').sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const pods = store.list('Pod');
  let bound = 0;
  for (const pod of pods) {
    if (pod.spec?.nodeName || pod.status?.phase !== 'Pending') continue;
    const reasons = new Map<string, number>();
    const node = nodes.find((n) => {
      const why = misfit(pod, n, pods);
      if (why) reasons.set(why, (reasons.get(why) ?? 0) + 1);
      return why === undefined;
    });
    const ns = pod.metadata.namespace;
    if (node) {
      const updated = store.update('Pod', ns, pod.metadata.name, (p) => {
        p.spec = { ...p.spec, nodeName: node.metadata.name };
        p.status = { ...p.status, conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: nowIso }] };
      });
      // Later pods in this pass must see this one's resources as taken.
      pod.spec = updated.spec;
      bound++;
      continue;
    }
    const message = `0/${nodes.length} nodes are available: ${[...reasons].map(([why, n]) => `${n} ${why}`).join(', ')}.`;
    store.update('Pod', ns, pod.metadata.name, (p) => {
      const old = (p.status?.conditions as { type: string; message?: string; lastTransitionTime?: string }[] | undefined)?.find((c) => c.type === 'PodScheduled');
      if (old?.message === message) return;
      p.status = { ...p.status, conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastTransitionTime: old?.lastTransitionTime ?? nowIso }] };
    });
  }
  return bound;
}
