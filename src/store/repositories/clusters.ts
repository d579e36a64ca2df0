/** Clusters and their pools: the registered inventory (live numbers come from the adapters, not from here). */
import type { Cluster, ClusterState, Pool } from '../../domain/types.js';
import { DomainError } from '../../domain/errors.js';
import type { Db } from '../rows.js';
import type { Row } from '../schema.js';

/** A cluster with its backend settings and its pools. */
export interface ClusterWithPools extends Cluster {
  /** Backend settings (e.g. slurmrestd URL); empty for sim clusters. */
  config: Record<string, unknown>;
  pools: Pool[];
}

/** Map a pools row to the domain type. */
export function poolFromRow(r: Row<'pools'>): Pool {
  return {
    id: r.id,
    clusterId: r.cluster_id,
    name: r.name,
    gpuType: r.gpu_type,
    nodes: r.nodes,
    gpusPerNode: r.gpus_per_node,
    gpuMemoryGb: r.gpu_memory_gb,
    bf16Tflops: r.bf16_tflops,
  };
}

function clusterFromRow(r: Row<'clusters'>, pools: Pool[]): ClusterWithPools {
  return { id: r.id, siteId: r.site_id, name: r.name, kind: r.kind, state: r.state, config: r.config, pools };
}

/** All clusters by id, each with its pools by id. */
export async function listClusters(db: Db): Promise<ClusterWithPools[]> {
  const [clusters, pools] = await Promise.all([
    db.selectFrom('clusters').selectAll().orderBy('id').execute(),
    db.selectFrom('pools').selectAll().orderBy('id').execute(),
  ]);
  const byCluster = new Map<string, Pool[]>();
  for (const p of pools) {
    const list = byCluster.get(p.cluster_id) ?? [];
    list.push(poolFromRow(p));
    byCluster.set(p.cluster_id, list);
  }
  return clusters.map((c) => clusterFromRow(c, byCluster.get(c.id) ?? []));
}

/** One cluster with its pools, or DomainError `not_found`. */
export async function getCluster(db: Db, id: string): Promise<ClusterWithPools> {
  const row = await db.selectFrom('clusters').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw DomainError.notFound('cluster', id);
  const pools = await db.selectFrom('pools').selectAll().where('cluster_id', '=', id).orderBy('id').execute();
  return clusterFromRow(row, pools.map(poolFromRow));
}

/** Set a cluster's state (drain, take offline, reactivate); DomainError `not_found` if it does not exist. */
export async function setClusterState(db: Db, id: string, state: ClusterState): Promise<void> {
  const result = await db.updateTable('clusters').set({ state }).where('id', '=', id).executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw DomainError.notFound('cluster', id);
}

/** The site a cluster belongs to, or undefined when there is no such cluster (authorisation scope checks). */
export async function siteOfCluster(db: Db, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('clusters').select('site_id').where('id', '=', id).executeTakeFirst();
  return row?.site_id;
}
