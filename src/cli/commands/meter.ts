/**
 * `ncg meter run --from --to`: meter a range now, against the configured database and Prometheus (the
 * server's configuration, like `ncg migrate`). Windows already measured are skipped unless `--force`,
 * which queries them again to check that nothing would change. Prints what it did; exits 1 when a
 * cluster could not be metered (its windows stay pending with estimates, as in the server).
 */
import type { Command } from 'commander';
import { CommanderError } from 'commander';
import { openAndMigrate } from '../../main.js';
import { meteringConfigSchema } from '../../metering/config.js';
import { Meter } from '../../metering/meter.js';
import { storeClusters } from '../../metering/start.js';
import { createLogger } from '../../observability/logger.js';
import { configFromOptions, withConfigOptions } from '../server-options.js';

interface MeterRunOptions {
  from: string;
  to?: string;
  cluster?: string[];
  force?: boolean;
  prometheusUrl?: string;
  json?: boolean;
}

function instant(flag: string, value: string): number {
  const t = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  if (!Number.isFinite(t)) throw new CommanderError(2, 'ncg.meter.time', `${flag} must be a date (2026-10-01) or an RFC 3339 time, got ${JSON.stringify(value)}`);
  return t;
}

/** Register `meter run`. */
export function registerMeter(program: Command): void {
  const meter = program.command('meter').description('metering GPU-hours through Prometheus into the ledger');
  withConfigOptions(
    meter
      .command('run')
      .description('meter the windows in [--from, --to) now (those not yet measured; all with --force)')
      .requiredOption('--from <time>', 'start: a date (UTC midnight) or an RFC 3339 time')
      .option('--to <time>', 'end, exclusive (default now)')
      .option('--cluster <id...>', 'only these clusters')
      .option('--force', 're-query windows already measured (inserts nothing new; a check)')
      .option('--prometheus-url <url>', 'Prometheus to query (default metering.prometheus.url)')
      .option('--json', 'print the report as JSON'),
  ).action(async (opts: MeterRunOptions & Record<string, unknown>) => {
    const config = configFromOptions(opts);
    const base = config.metering;
    const metering = opts.prometheusUrl ? meteringConfigSchema.parse({ ...base, prometheus: { ...base.prometheus, url: opts.prometheusUrl } }) : base;
    const [from, to] = [instant('--from', opts.from), opts.to ? instant('--to', opts.to) : Date.now()];
    const log = createLogger('warn');
    const database = await openAndMigrate(config, log);
    try {
      const m = new Meter({ db: database.db, config: metering, clusters: storeClusters(database.db), halfLifeSeconds: config.scheduler.halfLifeDays * 86_400, log });
      const report = await m.meterRange(from, to, { force: opts.force ?? false, ...(opts.cluster ? { clusterIds: opts.cluster } : {}) });
      if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else {
        process.stdout.write(
          `metered ${new Date(from).toISOString()} … ${new Date(to).toISOString()} from ${metering.prometheus.url}: ${report.windowsMeasured} windows measured, ` +
            `${report.windowsPending} pending; ${report.rowsInserted} ledger rows (${(report.gpuSecondsMeasured / 3600).toFixed(3)} GPU-h), ` +
            `${report.reversals} estimates reversed, ${report.estimateRows} estimate rows, ${report.discrepancies} discrepancies\n`,
        );
        for (const e of report.errors) process.stderr.write(`ncg: ${e.clusterId}: ${e.message}\n`);
      }
      if (report.errors.length > 0) process.exitCode = 1;
    } finally {
      await database.close();
    }
  });
}
