/**
 * The cluster's GPU inventory from its Nodes and Pods, the way `kubectl describe node` counts it: a node's
 * allocatable GPUs minus the GPU requests of every non-terminated pod bound to it (ncg's or not). Nodes are
 * grouped into pools by GPU product label (or a configured pool label); cordoned and NotReady nodes are
 * listed as unhealthy with nothing free. Pure, so it is tested without a cluster.
 */
import type { V1Container, V1Node, V1Pod } from '@kubernetes/client-node';
import { GPU_MODELS } from '../../domain/gpu-models.js';
import type { NodeState } from '../../scheduler/types.js';
import type { PoolInventory } from '../port.js';
import type { KubernetesClusterConfig } from './config.js';

/** The parts of the config the inventory reads. */
export type InventoryConfig = Pick<KubernetesClusterConfig, 'gpuResource' | 'gpuProductLabel' | 'poolLabel' | 'gpuTypes' | 'pools'>;

/**
 * A whole-number quantity (`"8"`, `8`, `"2k"`). Extended resources such as GPUs are always whole; anything
 * else unparseable counts as 0 rather than inventing capacity.
 */
export function countQuantity(q: unknown): number {
  if (typeof q === 'number') return Math.floor(q);
  if (typeof q !== 'string') return 0;
  const m = /^(\d+)(k|M|G)?$/.exec(q.trim());
  if (!m) return 0;
  const mult = { k: 1e3, M: 1e6, G: 1e9 }[m[2] as 'k' | 'M' | 'G'] ?? 1;
  return Number(m[1]) * mult;
}

function containerGpus(c: V1Container, resource: string): number {
  // For extended resources a limit alone implies an equal request.
  return countQuantity(c.resources?.requests?.[resource] ?? c.resources?.limits?.[resource]);
}

/** GPUs a pod holds: the larger of its containers' sum and its largest init container (Kubernetes' rule). */
export function podGpuRequest(pod: V1Pod, resource: string): number {
  const main = (pod.spec?.containers ?? []).reduce((s, c) => s + containerGpus(c, resource), 0);
  const init = Math.max(0, ...(pod.spec?.initContainers ?? []).map((c) => containerGpus(c, resource)));
  return Math.max(main, init);
}

/** Pods that still hold their resources: bound to a node and neither Succeeded nor Failed. */
export function holdsResources(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  return pod.spec?.nodeName !== undefined && pod.spec.nodeName !== '' && phase !== 'Succeeded' && phase !== 'Failed';
}

/** A node takes work only when its Ready condition is True and it is not cordoned. */
export function nodeHealthy(node: V1Node): boolean {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  return ready?.status === 'True' && node.spec?.unschedulable !== true;
}

/**
 * The ncg GPU type of a product label value: the configured mapping, else the catalogue entry whose NVML
 * name it is (GPU Feature Discovery writes `NVIDIA H100 80GB HBM3` as `NVIDIA-H100-80GB-HBM3`), else the
 * product itself in lower case.
 */
export function gpuTypeOf(product: string, config: Pick<InventoryConfig, 'gpuTypes'>): string {
  const mapped = config.gpuTypes[product];
  if (mapped) return mapped;
  const known = Object.values(GPU_MODELS).find((m) => m.modelName.replace(/\s+/g, '-').toLowerCase() === product.toLowerCase());
  return known?.id ?? product.toLowerCase();
}

/** Pools of GPU nodes with what is free on each, sorted by pool and node name. Nodes without GPUs are left out. */
export function buildInventory(nodes: readonly V1Node[], pods: readonly V1Pod[], config: InventoryConfig): PoolInventory[] {
  const used = new Map<string, number>();
  for (const pod of pods) {
    if (!holdsResources(pod)) continue;
    const node = pod.spec!.nodeName!;
    used.set(node, (used.get(node) ?? 0) + podGpuRequest(pod, config.gpuResource));
  }
  const pools = new Map<string, PoolInventory>();
  for (const node of nodes) {
    const name = node.metadata?.name;
    const total = countQuantity(node.status?.allocatable?.[config.gpuResource]);
    const labels = node.metadata?.labels ?? {};
    const product = labels[config.gpuProductLabel];
    // A node only joins a pool ncg can target: the label its Jobs' node selector will name must be present.
    const poolName = config.poolLabel ? labels[config.poolLabel] : product;
    if (!name || total <= 0 || !poolName) continue;
    const gpuType = config.pools[poolName]?.gpuType ?? (product ? gpuTypeOf(product, config) : poolName.toLowerCase());
    let pool = pools.get(poolName);
    if (!pool) {
      pool = { name: poolName, gpuType, nodes: [] };
      pools.set(poolName, pool);
    }
    const healthy = nodeHealthy(node);
    const state: NodeState = { name, totalGpus: total, freeGpus: healthy ? Math.max(0, total - (used.get(name) ?? 0)) : 0, healthy };
    pool.nodes.push(state);
  }
  // Code-point order, not locale order: the same cluster must list the same way on every host.
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const out = [...pools.values()].sort(byName);
  for (const p of out) p.nodes.sort(byName);
  return out;
}
