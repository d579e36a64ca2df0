/**
 * `ncg kpi`: national KPIs for a period over REST (GET /v1/kpis), grouped by site, province, cluster, GPU
 * type, institution or project, as a table, JSON or CSV (the same CSV the server sends, rendered here from
 * its JSON with the server's own renderer).
 */
import { CommanderError, Option, type Command } from 'commander';
import type { KpiReport } from '../../reports/kpi/report.js';
import { GROUPINGS } from '../../reports/kpi/types.js';
import { kpiCsv } from '../../reports/render/csv.js';
import { connect } from '../connection.js';
import { printJson, say, table } from '../output.js';
import { runAction } from './run-action.js';

interface KpiOptions {
  period?: string;
  from?: string;
  to?: string;
  groupBy: string;
  format: 'table' | 'json' | 'csv';
  url?: string;
}

const n = (v: number | null | undefined, digits = 0) => (v === null || v === undefined ? '—' : v.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const secs = (v: number | null) => (v === null ? '—' : v < 120 ? `${Math.round(v)}s` : v < 7_200 ? `${(v / 60).toFixed(1)}m` : `${(v / 3600).toFixed(1)}h`);

/** The KPI answer as a terminal table, with the national-only KPIs underneath. */
export function kpiTable(r: KpiReport): string {
  const rows = [r.national, ...r.groups].map((g) => [
    g.label, n(g.capacity?.gpus), n(g.capacity?.gpuHoursAvailable), n(g.gpuHoursDelivered, 1), pct(g.utilisation), pct(g.efficiency),
    secs(g.waits.p50Seconds), secs(g.waits.p90Seconds), n(g.jobsByState.succeeded), n(g.activeUsers), n(g.institutionsServed),
  ]);
  const right = ['GPUS', 'GPU-H AVAIL', 'GPU-H USED', 'UTIL', 'EFF', 'WAIT P50', 'WAIT P90', 'JOBS OK', 'USERS', 'INST'];
  const served = r.institutionsServed;
  const c = r.consolidation;
  return [
    `KPIs ${r.period.name} (${r.period.start.slice(0, 10)} → ${r.period.end.slice(0, 10)}), by ${r.groupBy}, as of ${r.asOf.slice(0, 16)}Z`,
    table([r.groupBy.toUpperCase(), ...right], rows, right),
    `institutions served: ${served.served} of ${served.registered} (${served.targets.map((t) => `target ${t.target}: ${t.met ? 'met' : pct(t.progress)}`).join(', ')})`,
    `consolidation: ${c.clustersFederated} clusters federated, ${pct(c.managedShareGpus)} of ${n(c.registeredNationalGpus)} national GPUs under ncg`,
    `allocations: ${n(r.allocations.usedGpuHours, 1)} of ${n(r.allocations.awardedGpuHours, 1)} GPU-hours awarded used; ${r.allocations.exhaustedInstitutions.length} institutions exhausted`,
  ].join('\n');
}

/** Register `kpi`. */
export function registerKpi(program: Command): void {
  program
    .command('kpi')
    .description('national KPIs for a period (Open XDMoD definitions), grouped')
    .exitOverride((err) => {
      if (err.exitCode === 0) throw err;
      throw new CommanderError(2, err.code, err.message);
    })
    .option('--period <period>', 'a year (2026), quarter (2026-Q3), month (2026-11) or day (default: this month)')
    .option('--from <date>', 'start of an explicit period (with --to)')
    .option('--to <date>', 'end of an explicit period, exclusive')
    .addOption(new Option('--group-by <what>', 'grouping').choices([...GROUPINGS]).default('national'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .option('--url <url>', 'ncg REST address (NCG_URL, default http://127.0.0.1:8080)')
    .action(
      runAction(async (opts: KpiOptions) => {
        const report = await connect(opts.url).get<KpiReport>('/v1/kpis', { period: opts.period, from: opts.from, to: opts.to, groupBy: opts.groupBy });
        if (opts.format === 'json') printJson(report);
        else if (opts.format === 'csv') process.stdout.write(kpiCsv(report));
        else say(kpiTable(report));
      }),
    );
}
