/** `ncg.v1.ClusterService`: the same live inventory REST's GET /v1/clusters shows. */
import type * as grpc from '@grpc/grpc-js';
import type { ClusterView, InventoryService } from '../../services/inventory-service.js';
import { unary, type CallContext } from './call.js';

/** What the cluster handlers need. */
export interface ClusterHandlerDeps extends CallContext {
  inventory: Pick<InventoryService, 'listClusters'>;
}

/** A ClusterView as an `ncg.v1.Cluster` message. */
export function clusterMessage(c: ClusterView): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    state: c.state,
    site: c.site,
    reachable: c.reachable,
    message: c.message ?? '',
    total_gpus: c.totalGpus,
    free_gpus: c.freeGpus,
    pools: c.pools.map((p) => ({
      id: p.id,
      name: p.name,
      gpu_type: p.gpuType,
      nodes: p.nodes,
      gpus_per_node: p.gpusPerNode,
      gpu_memory_gb: p.gpuMemoryGb,
      bf16_tflops: p.bf16Tflops,
      total_gpus: p.totalGpus,
      free_gpus: p.freeGpus,
      healthy_nodes: p.healthyNodes,
    })),
  };
}

/** The ClusterService implementation for grpc-js. */
export function clusterHandlers(deps: ClusterHandlerDeps): grpc.UntypedServiceImplementation {
  return {
    List: unary(deps, 'ClusterService.List', 'ncg.v1.ListClustersRequest', async () => ({ clusters: (await deps.inventory.listClusters()).map(clusterMessage) })),
  };
}
