/** Options shared by commands that run against the server's own configuration (serve, migrate, seed). */
import type { Command } from 'commander';
import { flagsToOverrides, loadConfig, type Config } from '../config/index.js';

/** Add the configuration flags to a command. */
export function withConfigOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'YAML configuration file (also NCG_CONFIG)')
    .option('--http-host <host>', 'address to listen on for HTTP')
    .option('--http-port <port>', 'HTTP port (NCG_HTTP_PORT, default 8080)')
    .option('--grpc-port <port>', 'gRPC port (NCG_GRPC_PORT, default 50051)')
    .option('--database-url <url>', 'postgres:// URL (DATABASE_URL); unset means the embedded database')
    .option('--data-dir <dir>', 'data directory (NCG_DATA_DIR, default ./.ncg)')
    .option('--sim-speed <x>', 'simulated-time multiplier for sim clusters (NCG_SIM_SPEED)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (NCG_LOG_LEVEL)')
    .option('--set <key=value...>', 'set any configuration key, e.g. --set scheduler.backfillDepth=20');
}

/** The validated configuration from the environment, the config file and the flags of `opts`. */
export function configFromOptions(opts: Record<string, unknown>): Config {
  return loadConfig({
    env: process.env,
    ...(typeof opts.config === 'string' ? { configFile: opts.config } : {}),
    overrides: flagsToOverrides(opts, (opts.set as string[] | undefined) ?? []),
  });
}
