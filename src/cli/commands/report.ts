/**
 * `ncg report pillar5`: the Pillar-5 report of a period over REST (GET /v1/reports/pillar5) as CSV,
 * JSON or a printable HTML page (rendered here from the server's JSON with the server's own renderers),
 * and `ncg report snapshots`: the stored snapshots with their hashes re-verified.
 */
import { CommanderError, Option, type Command } from 'commander';
import type { Pillar5Report } from '../../reports/pillar5.js';
import { pillar5Csv } from '../../reports/render/csv.js';
import { pillar5Html } from '../../reports/render/pillar5-html.js';
import type { SnapshotSummary } from '../../reports/snapshots.js';
import { connect } from '../connection.js';
import { printJson, say, table } from '../output.js';
import { runAction } from './run-action.js';

const usageExit = (cmd: Command) =>
  cmd.exitOverride((err) => {
    if (err.exitCode === 0) throw err;
    throw new CommanderError(2, err.code, err.message);
  });

/** Register `report pillar5` and `report snapshots`. */
export function registerReport(program: Command): void {
  const report = usageExit(program.command('report').description('national reports: the Pillar-5 KPIs and their snapshots'));
  usageExit(report.command('pillar5'))
    .description('the Pillar-5 report: capacity, consolidation, institutions served vs targets, delivery, waits, by province and site')
    .option('--period <period>', 'a year (2026), quarter (2026-Q3), month (2026-11) or day (default: this month)')
    .option('--from <date>', 'start of an explicit period (with --to)')
    .option('--to <date>', 'end of an explicit period, exclusive')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['csv', 'json', 'html']).default('csv'))
    .option('--url <url>', 'ncg REST address (NCG_URL, default http://127.0.0.1:8080)')
    .action(
      runAction(async (opts: { period?: string; from?: string; to?: string; format: 'csv' | 'json' | 'html'; url?: string }) => {
        const doc = await connect(opts.url).get<Pillar5Report>('/v1/reports/pillar5', { period: opts.period, from: opts.from, to: opts.to });
        if (opts.format === 'json') printJson(doc);
        else process.stdout.write(opts.format === 'html' ? `${pillar5Html(doc)}\n` : pillar5Csv(doc));
      }),
    );
  usageExit(report.command('snapshots'))
    .description('stored KPI snapshots, newest first, each hash re-verified by the server')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--url <url>', 'ncg REST address (NCG_URL, default http://127.0.0.1:8080)')
    .action(
      runAction(async (opts: { format: 'table' | 'json'; url?: string }) => {
        const { items } = await connect(opts.url).get<{ items: SnapshotSummary[] }>('/v1/reports/snapshots');
        if (opts.format === 'json') return printJson(items);
        say(table(['PERIOD', 'KIND', 'WRITTEN', 'SHA-256', 'VERIFIED'], items.map((s) => [s.period, s.kind, s.createdAt.slice(0, 16), s.sha256.slice(0, 16), s.verified ? 'yes' : 'NO — content changed'])));
      }),
    );
}
