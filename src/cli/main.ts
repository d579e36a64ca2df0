/** The `ncg` command: server, database and grid administration, and (over REST) the user commands. */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/index.js';
import { isDomainError } from '../domain/errors.js';
import { NCG_VERSION } from '../version.js';
import { registerServe } from './commands/serve.js';
import { registerAdmin } from './commands/admin.js';
import { registerUserCommands } from './commands/user-commands.js';
import { registerSimulate } from './commands/simulate.js';
import { registerKpi } from './commands/kpi.js';
import { registerReport } from './commands/report.js';

const program = new Command('ncg')
  .description('ncg — the National Compute Grid control plane')
  .version(NCG_VERSION)
  .showHelpAfterError()
  .exitOverride();

registerServe(program);
registerAdmin(program);
registerUserCommands(program);
registerSimulate(program);
registerKpi(program);
registerReport(program);

/** Print a failure the way a user can act on it, and exit non-zero. */
function fail(err: unknown): never {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (err instanceof ConfigError) {
    process.stderr.write(`ncg: ${err.message}\n`);
    process.exit(2);
  }
  if (isDomainError(err)) {
    process.stderr.write(`ncg: ${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`ncg: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  fail(err);
}
