/** A cluster's service state (active / draining / offline) changed under a row lock, and the work still on it. */
import type { ClusterState } from '../../domain/types.js';
import { DomainError } from '../../domain/errors.js';
import type { Db } from '../rows.js';

/** The cluster's site and state, locked until the transaction ends; `not_found` when it does not exist. */
export async function lockClusterState(tx: Db, id: string): Promise<{ siteId: string; state: ClusterState }> {
  const row = await tx.selectFrom('clusters').select(['site_id', 'state']).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw DomainError.notFound('cluster', id);
  return { siteId: row.site_id, state: row.state };
}

/** Set the state of a (locked) cluster. */
export async function writeClusterState(tx: Db, id: string, state: ClusterState): Promise<void> {
  await tx.updateTable('clusters').set({ state }).where('id', '=', id).execute();
}

/** Jobs dispatching to or running on the cluster (a drain is complete when this reaches 0). */
export async function activeJobsOnCluster(db: Db, id: string): Promise<number> {
  const row = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('cluster_id', '=', id)
    .where('state', 'in', ['dispatching', 'running'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
