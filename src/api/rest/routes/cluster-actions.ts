/** POST /v1/clusters/{id}/drain | cordon | resume: CoE operators' actions (ClusterOperations). */
import { Router } from 'express';
import { CLUSTER_ACTIONS, type ClusterAction, type ClusterOperations } from '../../../services/cluster-operations.js';
import { principalOf } from '../auth.js';
import { onlyParams } from '../query.js';

/** One route per action. */
export function clusterActionRoutes(ops: ClusterOperations): Router {
  const r = Router();
  for (const action of Object.keys(CLUSTER_ACTIONS) as ClusterAction[]) {
    r.post(`/clusters/:id/${action}`, async (req, res) => {
      onlyParams(req.query, []);
      const result = await ops.apply(principalOf(res), String(req.params.id), action);
      res.json({ cluster: result.clusterId, previousState: result.previousState, state: result.state, changed: result.changed, activeJobs: result.activeJobs });
    });
  }
  return r;
}
