/**
 * `ncg token create|list|revoke`: API tokens over REST (/v1/tokens). `create` prints the secret once —
 * on its own line in table output, so `ncg token create … | tail -1` captures it — and says it will not
 * be shown again.
 */
import type { Command } from 'commander';
import { connect } from '../connection.js';
import { printJson, say, table, time, when, withCommonOptions, type CommonOptions } from '../output.js';
import { runAction } from './run-action.js';

/** A token as the server shows it. */
interface TokenView {
  id: string;
  user: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

function status(t: TokenView, now = Date.now()): string {
  if (t.revokedAt) return 'revoked';
  if (t.expiresAt && Date.parse(t.expiresAt) <= now) return 'expired';
  return 'active';
}

/** The table `ncg token list` prints. */
export function tokenTable(items: TokenView[]): string {
  const rows = items.map((t) => [t.id, t.user, t.name, `${t.prefix}…`, status(t), time(t.createdAt), t.expiresAt ? time(t.expiresAt) : 'never', t.lastUsedAt ? time(t.lastUsedAt) : '']);
  return table(['ID', 'USER', 'NAME', 'PREFIX', 'STATUS', 'CREATED', 'EXPIRES', 'LAST USED'], rows);
}

/** Register `token` with its subcommands. */
export function registerToken(program: Command): void {
  const token = program.command('token').description('API tokens: create (the secret is shown once), list, revoke');

  withCommonOptions(
    token
      .command('create')
      .description('create an API token (for yourself, or --user for a user you administer)')
      .requiredOption('--name <name>', 'what the token is for (shown in listings)')
      .option('--user <id>', 'whose token (default: yours)')
      .option('--expires <duration>', 'lifetime, e.g. 90d, 12h, or "never" (default 90d, at most 730d)'),
  ).action(
    runAction(async (opts: CommonOptions & { name: string; user?: string; expires?: string }) => {
      const body = { name: opts.name, ...(opts.user ? { user: opts.user } : {}), ...(opts.expires ? { expires: opts.expires } : {}) };
      const { body: created } = await connect(opts.url).request<TokenView & { secret: string }>('POST', '/v1/tokens', { body });
      if (opts.output === 'json') return printJson(created);
      say(`token ${created.id} for ${created.user} (${created.name}), expires ${created.expiresAt ? when(created.expiresAt) : 'never'}`);
      say('the secret is shown only now; store it (e.g. export NCG_TOKEN=…):');
      say(created.secret);
    }),
  );

  withCommonOptions(token.command('list').description('list API tokens (never their secrets)').option('--user <id>', 'whose tokens (default: yours)')).action(
    runAction(async (opts: CommonOptions & { user?: string }) => {
      const { items } = await connect(opts.url).get<{ items: TokenView[] }>('/v1/tokens', { user: opts.user });
      if (opts.output === 'json') return printJson({ items });
      if (items.length === 0) return say('no tokens');
      say(tokenTable(items));
    }),
  );

  withCommonOptions(token.command('revoke').description('revoke an API token (at once)').argument('<id>', 'token id (from ncg token list)')).action(
    runAction(async (id: string, opts: CommonOptions) => {
      const { body: t } = await connect(opts.url).request<TokenView>('DELETE', `/v1/tokens/${encodeURIComponent(id)}`);
      if (opts.output === 'json') return printJson(t);
      say(`token ${t.id} (${t.name}, ${t.user}) is revoked since ${time(t.revokedAt ?? undefined)}`);
    }),
  );
}
