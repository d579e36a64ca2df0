/** `ncg queue`: the pending queue in priority order with each job's factors (ncg's `sprio`). */
import type { Command } from 'commander';
import type { QueueView } from '../../api/schemas/job-view.js';
import { connect } from '../connection.js';
import { gpuShape } from '../job-text.js';
import { num, printJson, relative, say, table, withCommonOptions, type CommonOptions } from '../output.js';
import { wholeNumber } from '../submit-body.js';
import { runAction } from './run-action.js';

interface QueueOptions extends CommonOptions {
  project?: string;
  institution?: string;
  user?: string;
  limit?: string;
}

/** Register `queue`. */
export function registerQueue(program: Command): void {
  withCommonOptions(
    program
      .command('queue')
      .description('pending jobs in priority order, with the priority factors and why each waits')
      .option('--project <id>', 'only this project')
      .option('--institution <id>', 'only this institution')
      .option('--user <id>', 'only this user')
      .option('--limit <n>', 'at most this many (1–500)'),
  ).action(
    runAction(async (opts: QueueOptions) => {
      const limit = opts.limit === undefined ? undefined : wholeNumber('--limit', opts.limit);
      const q = await connect(opts.url).get<QueueView>('/v1/queue', { project: opts.project, institution: opts.institution, user: opts.user, limit });
      if (opts.output === 'json') return printJson(q);
      if (q.items.length === 0) return say('the queue is empty');
      const headers = ['POS', 'ID', 'NAME', 'INSTITUTION', 'QOS', 'GPUS', 'PRIORITY', 'FAIRSHARE', 'AGE', 'QOS-F', 'SIZE', 'WAITING', 'REASON', 'EST. START'];
      const rows = q.items.map((j) => {
        const p = j.pending;
        return [p.position ?? '-', j.id, j.name, j.institution, j.qos, gpuShape(j), num(p.priority, 4), num(p.factors?.fairshare), num(p.factors?.age), num(p.factors?.qos), num(p.factors?.size), relative(j.submittedAt).replace(' ago', ''), p.reason, relative(p.estimatedStart)];
      });
      say(table(headers, rows, ['POS', 'PRIORITY', 'FAIRSHARE', 'AGE', 'QOS-F', 'SIZE']));
      say(`\n${q.total} pending${q.total > q.items.length ? ` (${q.items.length} shown)` : ''}; priority factors as of the last scheduling cycle`);
    }),
  );
}
