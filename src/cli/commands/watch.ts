/**
 * `ncg watch ID`: follow a job's state changes until it ends, by polling GET /v1/jobs/{id} (REST only, so
 * it works wherever the other commands do). Exits 0 when the job succeeded and 1 when it failed or was
 * cancelled, so scripts can chain on it. A server that drops away briefly is retried for a while.
 */
import type { Command } from 'commander';
import type { JobView } from '../../api/schemas/job-view.js';
import { FINAL_JOB_STATES, type JobState } from '../../domain/types.js';
import { CliError, EXIT, type NcgClient } from '../client.js';
import { connect } from '../connection.js';
import { pendingLine } from '../job-text.js';
import { say, time, withCommonOptions, type CommonOptions } from '../output.js';
import { runAction } from './run-action.js';

/** Consecutive failed polls (server unreachable) tolerated before giving up. */
const MAX_MISSES = 10;

interface WatchOptions extends CommonOptions {
  interval: string;
}

function intervalMs(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 3600) throw new CliError(`--interval: expected seconds between 0.1 and 3600, got ${JSON.stringify(value)}`, EXIT.usage);
  return seconds * 1000;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One poll, tolerating a few misses in a row while the server is unreachable. */
async function poll(client: NcgClient, id: string, misses: { n: number }): Promise<JobView | undefined> {
  try {
    const job = await client.get<JobView>(`/v1/jobs/${encodeURIComponent(id)}`);
    misses.n = 0;
    return job;
  } catch (err) {
    if (!(err instanceof CliError) || err.exitCode !== EXIT.unreachable || ++misses.n > MAX_MISSES) throw err;
    return undefined;
  }
}

/** Print what is new since `lastEventId`; returns the last event id printed. */
function report(job: JobView, lastEventId: number, json: boolean, lastPending: { text?: string }): number {
  let last = lastEventId;
  for (const e of job.events ?? []) {
    if (e.id <= last) continue;
    last = e.id;
    if (json) say(JSON.stringify({ event: e, job: job.id, state: job.state }));
    else say(`${time(e.at)}  ${e.from ? `${e.from} → ` : ''}${e.to}${e.reason ? `  (${e.reason})` : ''}`);
  }
  const text = job.pending ? pendingLine(job.pending) : undefined;
  if (!json && text && text !== lastPending.text) say(`  ${text}`);
  lastPending.text = text;
  return last;
}

/** Register `watch`. */
export function registerWatch(program: Command): void {
  withCommonOptions(
    program
      .command('watch')
      .description('follow a job until it ends; exit 0 if it succeeded, 1 otherwise')
      .argument('<id>', 'job id')
      .option('--interval <seconds>', 'seconds between looks', '1'),
  ).action(
    runAction(async (id: string, opts: WatchOptions) => {
      const every = intervalMs(opts.interval);
      const client = connect(opts.url);
      const json = opts.output === 'json';
      const misses = { n: 0 };
      const lastPending: { text?: string } = {};
      let lastEventId = 0;
      for (;;) {
        const job = await poll(client, id, misses);
        if (job) {
          lastEventId = report(job, lastEventId, json, lastPending);
          if (FINAL_JOB_STATES.includes(job.state as JobState)) {
            if (json) say(JSON.stringify({ job: job.id, state: job.state, exitCode: job.exitCode ?? null }));
            else say(`job ${job.id} ${job.state}${job.exitCode !== undefined ? ` (exit code ${job.exitCode})` : ''}${job.reason && job.state !== 'succeeded' ? `: ${job.reason}` : ''}`);
            if (job.state !== 'succeeded') process.exitCode = EXIT.failed;
            return;
          }
        }
        await sleep(every);
      }
    }),
  );
}
