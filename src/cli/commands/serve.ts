/** `ncg serve`: run the control plane until SIGTERM/SIGINT, then shut down gracefully within 10 s. */
import type { Command } from 'commander';
import { configFromOptions, withConfigOptions } from '../server-options.js';
import { createLogger } from '../../observability/logger.js';

/** Hard deadline for a graceful shutdown before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 10_000;

/** Register `serve` on the program. */
export function registerServe(program: Command): void {
  withConfigOptions(program.command('serve').description('run the ncg server (REST, gRPC, control loop) on the configured database and grid'))
    .action(async (opts: Record<string, unknown>) => {
      const config = configFromOptions(opts);
      const log = createLogger(config.log.level);
      // Loaded here so the user commands (submit, jobs, …) start without the server's modules.
      const { startNcg } = await import('../../main.js');
      // The embedded grid comes alive with the built-in demo workload unless NCG_DEMO_LOAD=0 (src/demo).
      const ncg = await startNcg(config, log, { demoByDefault: true });
      if (ncg.firstStart.adminToken) {
        const { secret, path } = ncg.firstStart.adminToken;
        process.stdout.write(
          `\n  First start: national-admin API token (shown once; also written to ${path}, mode 0600):\n\n    ${secret}\n\n` +
            `  Try: curl -H "Authorization: Bearer $(cat ${path})" http://127.0.0.1:${ncg.http.port}/v1/clusters\n\n`,
        );
      }
      if (ncg.firstStart.roleTokens?.length) {
        const lines = ncg.firstStart.roleTokens.map((t) => `    ${t.role.padEnd(17)} ${t.userId.padEnd(16)} ${t.path}\n      ${t.secret}`);
        process.stdout.write(`  Demo users of the other roles (tokens shown once; files mode 0600):\n\n${lines.join('\n')}\n\n  Try each view: NCG_TOKEN=$(cat <file>) npx ncg jobs, or sign in to the dashboard with it.\n\n`);
      }
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.info({ signal }, 'shutting down');
        const deadline = setTimeout(() => {
          log.error('shutdown took longer than 10 s; exiting');
          process.exit(1);
        }, SHUTDOWN_DEADLINE_MS);
        deadline.unref();
        ncg.close().then(
          () => {
            log.info('stopped');
            process.exit(0);
          },
          (err: unknown) => {
            log.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
}
