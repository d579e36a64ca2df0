/**
 * CoE operators' actions on clusters of their own sites (national admins: any cluster):
 * - drain  → `draining`: no new dispatches; running jobs finish; the answer says how many are still on it;
 * - cordon → `offline`: out of service (maintenance, an outage); no new dispatches either, and running
 *   jobs are left to the cluster — ncg does not kill them;
 * - resume → `active`: back in service ("bring back", uncordon).
 * The scheduler reads the state every cycle (src/control/grid-view.ts): a cluster that is not active offers
 * no capacity, and jobs that only fit there wait with reason `ClusterUnavailable`. Roles are the
 * authorisation table's; this service keeps an operator to their own sites (scope).
 */
import { DomainError } from '../domain/errors.js';
import { hasRole, type Principal } from '../domain/principal.js';
import type { ClusterState } from '../domain/types.js';
import { activeJobsOnCluster, lockClusterState, writeClusterState } from '../store/repositories/cluster-state.js';
import type { Db } from '../store/rows.js';
import { recordAudit } from './audit.js';

/** The actions and the state each leads to. */
export const CLUSTER_ACTIONS = { drain: 'draining', cordon: 'offline', resume: 'active' } as const satisfies Record<string, ClusterState>;

/** An operator action. */
export type ClusterAction = keyof typeof CLUSTER_ACTIONS;

/** What an action did. */
export interface ClusterActionResult {
  clusterId: string;
  previousState: ClusterState;
  state: ClusterState;
  /** False when the cluster already was in that state (the action is idempotent). */
  changed: boolean;
  /** Jobs still dispatching to or running on it. */
  activeJobs: number;
}

/** Construction options. */
export interface ClusterOperationsOptions {
  db: Db;
  /** Called after a state changed: poke the control loop so it acts now, and drop cached inventory. */
  onChange?: (clusterId: string) => void;
}

/** Drain, cordon and resume clusters. */
export class ClusterOperations {
  constructor(private readonly opts: ClusterOperationsOptions) {}

  /** Apply `action` to the cluster on behalf of `p`. */
  async apply(p: Principal, clusterId: string, action: ClusterAction): Promise<ClusterActionResult> {
    const target = CLUSTER_ACTIONS[action];
    const { previousState, changed } = await this.opts.db.transaction().execute(async (tx) => {
      const current = await lockClusterState(tx, clusterId);
      if (!hasRole(p, 'national-admin') && !p.operatorSiteIds.includes(current.siteId)) {
        throw new DomainError('forbidden', `cluster ${clusterId} is at site ${current.siteId}, which you do not operate (yours: ${p.operatorSiteIds.join(', ') || 'none'})`, { clusterId, siteId: current.siteId });
      }
      if (current.state === target) return { previousState: current.state, changed: false };
      await writeClusterState(tx, clusterId, target);
      await recordAudit(tx, p, { action: `cluster.${action}`, target: { kind: 'cluster', id: clusterId }, before: { state: current.state }, after: { state: target }, data: { siteId: current.siteId } });
      return { previousState: current.state, changed: true };
    });
    if (changed) this.opts.onChange?.(clusterId);
    return { clusterId, previousState, state: target, changed, activeJobs: await activeJobsOnCluster(this.opts.db, clusterId) };
  }
}
