/** The answer of POST /v1/clusters/{id}/drain | cordon | resume. */
import { z } from 'zod';

const state = z.enum(['active', 'draining', 'offline']);

/** What an operator action did. */
export const clusterActionSchema = z
  .strictObject({
    cluster: z.string(),
    previousState: state,
    state: state.meta({ description: 'drain → draining, cordon → offline, resume → active.' }),
    changed: z.boolean().meta({ description: 'False when the cluster already was in that state.' }),
    activeJobs: z.number().int().meta({ description: 'Jobs still dispatching to or running on the cluster; a drain is complete at 0.' }),
  })
  .meta({ id: 'ClusterAction', description: 'A cluster’s state after an operator action.' });
