/**
 * The error boundary of the user commands: a CliError becomes `ncg: <message>` on stderr and its exit
 * code; anything else is a bug and keeps its stack (the program's own handler prints it).
 */
import { CliError } from '../client.js';

/** Wrap a commander action so CliErrors end the process the way a user can act on. */
export function runAction<A extends unknown[]>(action: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      process.stderr.write(`ncg: ${err.message}\n`);
      process.exitCode = err.exitCode;
    }
  };
}
