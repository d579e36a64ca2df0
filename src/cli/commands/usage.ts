/**
 * `ncg usage`: GPU-hours from the ledger over REST (GET /v1/usage), by day unless `--group-by` says
 * otherwise, as a table, JSON or CSV; the institution's allocation budgets under the table; and with
 * `--discrepancies` the GPU use the meter could not attribute (GET /v1/metering/discrepancies).
 * Also registers `ncg meter` (meter.ts), the server-side companion.
 */
import { CommanderError, Option, type Command } from 'commander';
import { connect } from '../connection.js';
import { printJson, say, table } from '../output.js';
import { registerMeter } from './meter.js';
import { runAction } from './run-action.js';

interface UsageRowView {
  key: string;
  gpuHours: number;
  gpuSeconds: number;
  measuredGpuSeconds: number;
  estimatedGpuSeconds: number;
}

interface AllocationView {
  allocation: string;
  awardedGpuHours: number;
  usedGpuHours: number;
  remainingGpuHours: number;
  burnRateGpuHoursPerDay: number;
  projectedExhaustion: string | null;
  exhausted: boolean;
  periodEnd: string;
}

interface UsageView {
  from: string;
  to: string;
  groupBy: string;
  rows: UsageRowView[];
  total: UsageRowView;
  allocations?: AllocationView[];
}

interface DiscrepancyView {
  cluster: string;
  kind: string;
  ref: string;
  job?: string;
  windowStart: string;
  gpuSeconds: number;
}

interface UsageOptions {
  output: 'table' | 'json' | 'csv';
  url?: string;
  institution?: string;
  project?: string;
  user?: string;
  cluster?: string;
  from?: string;
  to?: string;
  groupBy: string;
  discrepancies?: boolean;
}

const hours = (h: number) => (Math.round(h * 1000) / 1000).toFixed(3);

/** The CSV the server would send for `format=csv`, from its JSON (one client, one code path). */
export function usageCsv(u: UsageView): string {
  const field = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  const lines = u.rows.map((r) => [r.key, r.gpuHours, r.gpuSeconds, r.measuredGpuSeconds, r.estimatedGpuSeconds].map(field).join(','));
  return [`${u.groupBy},gpu_hours,gpu_seconds,measured_gpu_seconds,estimated_gpu_seconds`, ...lines].join('\n') + '\n';
}

function printTable(u: UsageView): void {
  const head = u.groupBy.toUpperCase();
  const rows = [...u.rows, u.total].map((r) => [r.key, hours(r.gpuHours), hours(r.measuredGpuSeconds / 3600), hours(r.estimatedGpuSeconds / 3600)]);
  say(table([head, 'GPU-HOURS', 'MEASURED', 'ESTIMATED'], rows, ['GPU-HOURS', 'MEASURED', 'ESTIMATED']));
  for (const a of u.allocations ?? []) {
    const end = a.exhausted ? 'exhausted' : a.projectedExhaustion ? `runs out ${a.projectedExhaustion.slice(0, 10)} at ${hours(a.burnRateGpuHoursPerDay)} GPU-h/day` : 'nothing burning';
    say(`\nallocation ${a.allocation}: ${hours(a.usedGpuHours)} of ${a.awardedGpuHours} GPU-hours used, ${hours(a.remainingGpuHours)} left; ${end} (period ends ${a.periodEnd.slice(0, 10)})`);
  }
}

/** Register `usage` (and `meter`). */
export function registerUsage(program: Command): void {
  program
    .command('usage')
    .description('GPU-hours from the ledger, by day (or --group-by), with allocation budgets')
    .exitOverride((err) => {
      if (err.exitCode === 0) throw err;
      throw new CommanderError(2, err.code, err.message);
    })
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .option('--url <url>', 'ncg REST address (NCG_URL, default http://127.0.0.1:8080)')
    .option('--institution <id>', 'only this institution (its allocation budgets are shown too)')
    .option('--project <id>', 'only this project')
    .option('--user <id>', 'only this user')
    .option('--cluster <id>', 'only this cluster')
    .option('--from <date>', 'from this date or RFC 3339 time (default 30 days ago)')
    .option('--to <date>', 'up to this date or time, exclusive (default now)')
    .addOption(new Option('--group-by <what>', 'grouping').choices(['day', 'week', 'month', 'project', 'user', 'cluster', 'gpuType', 'institution']).default('day'))
    .option('--discrepancies', 'also list GPU use the meter could not attribute (admins and operators)')
    .action(
      runAction(async (opts: UsageOptions) => {
        const client = connect(opts.url);
        const usage = await client.get<UsageView>('/v1/usage', {
          institution: opts.institution, project: opts.project, user: opts.user, cluster: opts.cluster, from: opts.from, to: opts.to, groupBy: opts.groupBy,
        });
        const discrepancies = opts.discrepancies
          ? (await client.get<{ items: DiscrepancyView[] }>('/v1/metering/discrepancies', { cluster: opts.cluster, from: opts.from, to: opts.to, limit: 500 })).items
          : undefined;
        if (opts.output === 'json') return printJson(discrepancies ? { ...usage, discrepancies } : usage);
        if (opts.output === 'csv') process.stdout.write(usageCsv(usage));
        else printTable(usage);
        // In CSV mode discrepancies go to stderr, so stdout stays one clean table.
        const line = opts.output === 'csv' ? (s: string) => process.stderr.write(`${s}\n`) : say;
        if (discrepancies) {
          if (opts.output !== 'csv') say('');
          if (discrepancies.length === 0) line('no metering discrepancies');
          for (const d of discrepancies) line(`discrepancy: ${d.kind} ${d.ref}${d.job ? ` (job ${d.job})` : ''} on ${d.cluster}, ${hours(d.gpuSeconds / 3600)} GPU-h in the window from ${d.windowStart}`);
        }
      }),
    );
  registerMeter(program);
}
