/** `ncg migrate` and `ncg seed national-grid`: database administration against the configured database. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createLogger } from '../../observability/logger.js';
import { configFromOptions, withConfigOptions } from '../server-options.js';

/** Register the administration commands. */
export function registerAdmin(program: Command): void {
  withConfigOptions(program.command('migrate').description('apply pending database migrations (under an advisory lock) and report the schema state')).action(
    async (opts: Record<string, unknown>) => {
      const config = configFromOptions(opts);
      const { openAndMigrate } = await import('../../main.js');
      const { migrationStatus } = await import('../../store/index.js');
      const database = await openAndMigrate(config, createLogger('warn'));
      try {
        const status = await migrationStatus(database.db);
        process.stdout.write(`database ${database.location}: ${status.applied.length} migrations applied, ${status.pending.length} pending\n`);
        for (const name of status.applied) process.stdout.write(`  ✓ ${name}\n`);
      } finally {
        await database.close();
      }
    },
  );

  const seed = program.command('seed').description('seed a database');
  withConfigOptions(seed.command('national-grid').description('seed an empty database with the national grid (sites, sim clusters, 150 institutions) and print a national-admin token')).action(
    async (opts: Record<string, unknown>) => {
      const config = configFromOptions(opts);
      // Server modules load only for the commands that need them, so `ncg submit` and friends start fast.
      const [{ openAndMigrate }, { firstStart }, { nationalGridSeed }] = await Promise.all([
        import('../../main.js'),
        import('../../bootstrap/first-start.js'),
        import('../../seed/national-grid.js'),
      ]);
      const database = await openAndMigrate(config, createLogger('warn'));
      try {
        const result = await firstStart(database.db, nationalGridSeed, resolve(config.dataDir), Date.now());
        if (!result.seeded) {
          process.stdout.write(`database ${database.location} is not empty; nothing seeded (the seed runs once)\n`);
          return;
        }
        process.stdout.write(`seeded ${database.location}: ${JSON.stringify(result.seeded)}\n`);
        if (result.adminToken) process.stdout.write(`national-admin token (shown once; written to ${result.adminToken.path}):\n${result.adminToken.secret}\n`);
        for (const t of result.roleTokens ?? []) process.stdout.write(`${t.role} token for ${t.userId} (shown once; written to ${t.path}):\n${t.secret}\n`);
      } finally {
        await database.close();
      }
    },
  );
}
