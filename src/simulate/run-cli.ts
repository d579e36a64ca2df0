/**
 * A standalone entry for the simulator (`npx tsx src/simulate/run-cli.ts simulate --workload …`), usable
 * without the rest of the ncg CLI; `ncg simulate` registers the same command.
 */
import { Command, CommanderError } from 'commander';
import { registerSimulate } from '../cli/commands/simulate.js';
import { isDomainError } from '../domain/errors.js';

const program = new Command('ncg').exitOverride();
registerSimulate(program);
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  process.stderr.write(`ncg: ${isDomainError(err) ? err.message : ((err as Error)?.stack ?? String(err))}\n`);
  process.exit(1);
}
