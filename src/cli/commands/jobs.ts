/** `ncg jobs` (a filtered, paged listing) and `ncg job ID` (one job in full, with why it waits). */
import type { Command } from 'commander';
import type { JobView } from '../../api/schemas/job-view.js';
import { connect } from '../connection.js';
import { printJobDetail, gpuShape } from '../job-text.js';
import { printJson, relative, say, table, withCommonOptions, type CommonOptions } from '../output.js';
import { wholeNumber } from '../submit-body.js';
import { runAction } from './run-action.js';

interface JobPage {
  items: JobView[];
  nextCursor?: string;
}

interface JobsOptions extends CommonOptions {
  state?: string;
  project?: string;
  institution?: string;
  user?: string;
  limit?: string;
  cursor?: string;
  all?: boolean;
}

/** The reason column: why it waits, or why it ended. */
function reasonOf(job: JobView): string {
  return job.pending ? job.pending.reason : (job.reason ?? '');
}

function printJobs(items: JobView[]): void {
  if (items.length === 0) return say('no jobs');
  say(
    table(
      ['ID', 'NAME', 'STATE', 'PROJECT', 'USER', 'GPUS', 'WHERE', 'SUBMITTED', 'REASON'],
      items.map((j) => [j.id, j.name, j.state, j.project, j.user, gpuShape(j.spec), j.cluster ? `${j.cluster}/${j.pool ?? ''}` : '', relative(j.submittedAt), reasonOf(j)]),
    ),
  );
}

/** Register `jobs` and `job`. */
export function registerJobs(program: Command): void {
  withCommonOptions(
    program
      .command('jobs')
      .description('list jobs you may see, newest first')
      .option('--state <states>', 'only these states, comma-separated (queued,dispatching,running,succeeded,failed,cancelled,preempted)')
      .option('--project <id>', 'only this project')
      .option('--institution <id>', 'only this institution')
      .option('--user <id>', 'only this user')
      .option('--limit <n>', 'page size, 1–500 (default 100)')
      .option('--cursor <cursor>', 'continue after a previous page')
      .option('--all', 'follow every page'),
  ).action(
    runAction(async (opts: JobsOptions) => {
      const client = connect(opts.url);
      const query = { state: opts.state, project: opts.project, institution: opts.institution, user: opts.user, limit: opts.limit === undefined ? undefined : wholeNumber('--limit', opts.limit) };
      const items: JobView[] = [];
      let cursor = opts.cursor;
      do {
        const page = await client.get<JobPage>('/v1/jobs', { ...query, cursor });
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (opts.all && cursor);
      if (opts.output === 'json') return printJson(cursor ? { items, nextCursor: cursor } : { items });
      printJobs(items);
      if (cursor) say(`\nmore: ncg jobs --cursor ${cursor}  (or --all)`);
    }),
  );

  withCommonOptions(program.command('job').description('show one job: request, state, placement, times, events, and why it is pending').argument('<id>', 'job id')).action(
    runAction(async (id: string, opts: CommonOptions) => {
      const job = await connect(opts.url).get<JobView>(`/v1/jobs/${encodeURIComponent(id)}`);
      if (opts.output === 'json') return printJson(job);
      printJobDetail(job);
    }),
  );
}
