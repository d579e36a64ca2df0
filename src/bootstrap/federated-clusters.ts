/**
 * Federated clusters from configuration: build each one's adapter, read its inventory and register the
 * cluster and its pools, so `ncg clusters` shows the real nodes' GPUs. A cluster that cannot be reached
 * at start is still registered (with the pools it had) and its adapter is kept: the control loop marks it
 * unavailable and uses it when it answers.
 */
import type { ClusterEntry } from '../config/index.js';
import type { ClusterAdapter, ClusterInventory } from '../adapters/port.js';
import { createSlurmAdapter } from '../adapters/slurm/index.js';
import { createKubernetesAdapter } from '../adapters/kubernetes/index.js';
import { GPU_MODELS } from '../domain/gpu-models.js';
import type { Pool } from '../domain/types.js';
import type { Logger } from '../observability/logger.js';
import { listClusters, registerCluster } from '../store/index.js';
import { DomainError } from '../domain/errors.js';
import type { Db } from '../store/rows.js';

/** How long start-up waits for a cluster's first inventory. */
const FIRST_INVENTORY_TIMEOUT_MS = 10_000;

/** The adapter for one configured cluster. */
export function adapterFor(entry: ClusterEntry): ClusterAdapter {
  return entry.kind === 'slurm' ? createSlurmAdapter(entry.id, entry.slurm) : createKubernetesAdapter(entry.id, entry.kubernetes);
}

/** Pools of an inventory as registry rows: nodes counted, GPUs per node the largest node, specs from the catalogue. */
export function poolsFromInventory(clusterId: string, inv: ClusterInventory): Pool[] {
  return inv.pools.map((p) => {
    const model = GPU_MODELS[p.gpuType];
    return {
      id: `${clusterId}-${p.name}`.toLowerCase().replace(/[^a-z0-9-]/g, '-'),
      clusterId,
      name: p.name,
      gpuType: p.gpuType,
      nodes: Math.max(1, p.nodes.length),
      gpusPerNode: Math.max(1, ...p.nodes.map((n) => n.totalGpus)),
      // Unknown GPU types still register; capacity KPIs count them without memory or TFLOPS figures.
      gpuMemoryGb: model?.memoryGb ?? 1,
      bf16Tflops: model?.bf16Tflops ?? 0,
    };
  });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);
}

/** Register every configured cluster and return its adapter, keyed by cluster id. */
export async function registerConfiguredClusters(db: Db, entries: ClusterEntry[], log: Logger): Promise<Map<string, ClusterAdapter>> {
  const out = new Map<string, ClusterAdapter>();
  const existing = new Map((await listClusters(db)).map((c) => [c.id, c.kind]));
  for (const entry of entries) {
    // A configured id equal to a simulated cluster's would silently turn that cluster into a real one.
    if (existing.get(entry.id) === 'sim') {
      throw DomainError.invalid(`clusters: id ${JSON.stringify(entry.id)} is already a simulated cluster of the seeded grid; choose another id`, [{ path: `clusters.${entry.id}.id`, message: 'taken by a sim cluster' }]);
    }
    const adapter = adapterFor(entry);
    let pools: Pool[] = [];
    try {
      pools = poolsFromInventory(entry.id, await withTimeout(adapter.inventory(), FIRST_INVENTORY_TIMEOUT_MS));
    } catch (e) {
      log.warn({ cluster: entry.id, err: (e as Error).message }, 'cluster not reachable at start; registered without refreshing its pools');
    }
    const shown = entry.kind === 'slurm' ? { url: entry.slurm.url } : { namespaceMode: entry.kubernetes.namespaceMode, kueue: entry.kubernetes.kueue.enabled };
    await registerCluster(db, { id: entry.id, siteId: entry.site, name: entry.name ?? entry.id, kind: entry.kind, state: entry.state, config: shown }, pools);
    log.info({ cluster: entry.id, kind: entry.kind, pools: pools.map((p) => `${p.name}:${p.gpuType}×${p.nodes * p.gpusPerNode}`) }, 'federated cluster registered');
    out.set(entry.id, adapter);
  }
  return out;
}
