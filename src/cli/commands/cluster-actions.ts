/** `ncg cluster drain|cordon|resume <id>`: CoE operators' actions on clusters of their sites (POST /v1/clusters/{id}/…). */
import type { Command } from 'commander';
import { connect } from '../connection.js';
import { printJson, say, withCommonOptions, type CommonOptions } from '../output.js';
import { runAction } from './run-action.js';

const ACTIONS = {
  drain: 'no new dispatches; running jobs finish',
  cordon: 'take out of service (offline): no new dispatches; running jobs are left to the cluster',
  resume: 'bring back into service (uncordon)',
} as const;

/** Register `cluster` with its subcommands. */
export function registerClusterActions(program: Command): void {
  const cluster = program.command('cluster').description('operate a cluster of your site: drain, cordon, resume');
  for (const [action, what] of Object.entries(ACTIONS)) {
    withCommonOptions(cluster.command(action).description(what).argument('<id>', 'cluster id (from ncg clusters)')).action(
      runAction(async (id: string, opts: CommonOptions) => {
        const { body: r } = await connect(opts.url).request<{ cluster: string; previousState: string; state: string; changed: boolean; activeJobs: number }>('POST', `/v1/clusters/${encodeURIComponent(id)}/${action}`);
        if (opts.output === 'json') return printJson(r);
        say(r.changed ? `${r.cluster}: ${r.previousState} → ${r.state}` : `${r.cluster} was already ${r.state}`);
        if (r.state !== 'active') say(`${r.activeJobs} job(s) still dispatching or running on it`);
      }),
    );
  }
}
