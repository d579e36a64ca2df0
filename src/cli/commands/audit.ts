/** `ncg audit`: the audit log, newest first (national admins; institution admins see their institution's). */
import type { Command } from 'commander';
import { connect } from '../connection.js';
import { printJson, say, table, time, withCommonOptions, type CommonOptions } from '../output.js';
import { wholeFlag } from './cli-numbers.js';
import { runAction } from './run-action.js';

/** An entry as the server shows it. */
interface AuditView {
  id: number; at: string; actor?: string; token?: string; address?: string; institution?: string;
  action: string; targetKind: string; targetId: string; before?: unknown; after?: unknown; data?: Record<string, unknown>;
}

const brief = (v: unknown) => (v === undefined ? '' : JSON.stringify(v));

/** Register `audit`. */
export function registerAudit(program: Command): void {
  withCommonOptions(
    program
      .command('audit')
      .description('who did what, when and from where (newest first)')
      .option('--actor <user>', 'only this user’s actions')
      .option('--action <action>', 'an action (allocation.split) or a prefix (allocation)')
      .option('--target <id>', 'only this target')
      .option('--institution <id>', 'only entries concerning this institution')
      .option('--from <time>', 'at or after (2026-10-01 or RFC 3339)')
      .option('--to <time>', 'before')
      .option('--limit <n>', 'entries per page (default 50)', '50')
      .option('--cursor <cursor>', 'the next page, as printed at the end of the previous one'),
  ).action(
    runAction(async (opts: CommonOptions & { actor?: string; action?: string; target?: string; institution?: string; from?: string; to?: string; limit: string; cursor?: string }) => {
      const page = await connect(opts.url).get<{ items: AuditView[]; nextCursor?: string }>('/v1/audit', {
        actor: opts.actor, action: opts.action, target: opts.target, institution: opts.institution, from: opts.from, to: opts.to, limit: wholeFlag(opts.limit, '--limit'), cursor: opts.cursor,
      });
      if (opts.output === 'json') return printJson(page);
      if (page.items.length === 0) return say('no audit entries');
      const rows = page.items.map((e) => [time(e.at), e.actor ?? '', e.address ?? '', e.action, `${e.targetKind} ${e.targetId}`, brief(e.before), brief(e.after)]);
      say(table(['AT', 'ACTOR', 'FROM', 'ACTION', 'TARGET', 'BEFORE', 'AFTER'], rows));
      if (page.nextCursor) say(`\nmore: repeat with --cursor ${page.nextCursor}`);
    }),
  );
}
