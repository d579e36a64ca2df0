/**
 * Registration of federated clusters from configuration: the cluster row and the pools its adapter
 * reports. Upserts, so a restart (or a changed partition layout) updates in place; pools that vanished
 * from the backend stay registered (jobs may reference them) and simply report no capacity.
 */
import type { ClusterKind, ClusterState, Pool } from '../../domain/types.js';
import { DomainError } from '../../domain/errors.js';
import { withDbErrors } from '../db-errors.js';
import { json, type Db } from '../rows.js';

/** A cluster as configured. */
export interface ClusterRegistration {
  id: string;
  siteId: string;
  name: string;
  kind: Exclude<ClusterKind, 'sim'>;
  state: ClusterState;
  /** Non-secret settings worth showing operators (the URL, not tokens). */
  config: Record<string, unknown>;
}

/** Insert or update a configured cluster and its pools in one transaction. */
export async function registerCluster(db: Db, cluster: ClusterRegistration, pools: Pool[]): Promise<void> {
  const site = await db.selectFrom('sites').select('id').where('id', '=', cluster.siteId).executeTakeFirst();
  if (!site) throw DomainError.invalid(`cluster ${cluster.id}: site ${JSON.stringify(cluster.siteId)} is not registered`, [{ path: `clusters.${cluster.id}.site`, message: 'unknown site' }]);
  await withDbErrors(() =>
    db.transaction().execute(async (tx) => {
      await tx
        .insertInto('clusters')
        .values({ id: cluster.id, site_id: cluster.siteId, name: cluster.name, kind: cluster.kind, state: cluster.state, config: json(cluster.config) })
        .onConflict((oc) => oc.column('id').doUpdateSet({ site_id: cluster.siteId, name: cluster.name, kind: cluster.kind, state: cluster.state, config: json(cluster.config) }))
        .execute();
      for (const p of pools) {
        const values = { name: p.name, gpu_type: p.gpuType, nodes: p.nodes, gpus_per_node: p.gpusPerNode, gpu_memory_gb: p.gpuMemoryGb, bf16_tflops: p.bf16Tflops };
        await tx
          .insertInto('pools')
          .values({ id: p.id, cluster_id: cluster.id, ...values })
          .onConflict((oc) => oc.column('id').doUpdateSet(values))
          .execute();
      }
    }),
  );
}
