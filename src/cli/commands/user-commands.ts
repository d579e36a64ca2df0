/**
 * The user commands of `ncg` — submit, jobs, job, cancel, queue, clusters, watch, usage, token, allocations,
 * allocation, projects, project, cluster, audit, whoami — which talk to a
 * server over REST (NCG_URL, NCG_TOKEN). Exit codes: 0 done, 1 the server refused (or a watched job did
 * not succeed), 2 a bad flag or job file, 3 the server could not be reached.
 */
import type { Command } from 'commander';
import { registerCancel } from './cancel.js';
import { registerClusters } from './clusters.js';
import { registerJobs } from './jobs.js';
import { registerQueue } from './queue.js';
import { registerSubmit } from './submit.js';
import { registerUsage } from './usage.js';
import { registerWatch } from './watch.js';
import { registerToken } from './token.js';
import { registerAllocations } from './allocations.js';
import { registerProjects } from './projects.js';
import { registerClusterActions } from './cluster-actions.js';
import { registerAudit } from './audit.js';
import { registerWhoami } from './whoami.js';

/** Register every user command on the program. */
export function registerUserCommands(program: Command): void {
  registerSubmit(program);
  registerJobs(program);
  registerCancel(program);
  registerQueue(program);
  registerClusters(program);
  registerWatch(program);
  // `usage` over REST, and the server-side `meter run` beside it (issue 7).
  registerUsage(program);
  // API tokens (issue 8).
  registerToken(program);
  // Allocation workflow, projects and members, operators' cluster actions, the audit log (issue 8).
  registerAllocations(program);
  registerProjects(program);
  registerClusterActions(program);
  registerAudit(program);
  registerWhoami(program);
}
