/** `ncg cancel ID`: cancel a job (idempotent: a job already over is left as it is). */
import type { Command } from 'commander';
import type { JobView } from '../../api/schemas/job-view.js';
import { connect } from '../connection.js';
import { printJson, say, withCommonOptions, type CommonOptions } from '../output.js';
import { runAction } from './run-action.js';

/** Register `cancel`. */
export function registerCancel(program: Command): void {
  withCommonOptions(program.command('cancel').description('cancel a job (a running job is stopped on its cluster)').argument('<id>', 'job id')).action(
    runAction(async (id: string, opts: CommonOptions) => {
      const { body: job } = await connect(opts.url).request<JobView>('DELETE', `/v1/jobs/${encodeURIComponent(id)}`);
      if (opts.output === 'json') return printJson(job);
      say(job.state === 'cancelled' ? `job ${job.id} is cancelled` : `job ${job.id} already ended (${job.state}); nothing to cancel`);
    }),
  );
}
