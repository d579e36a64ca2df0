/** `ncg whoami`: who the token belongs to — user, institution, roles, sites, projects and the default project. */
import type { Command } from 'commander';
import type { Me } from '../../services/whoami.js';
import { connect } from '../connection.js';
import { printJson, say, withCommonOptions, type CommonOptions } from '../output.js';
import { runAction } from './run-action.js';

/** Register `whoami`. */
export function registerWhoami(program: Command): void {
  withCommonOptions(program.command('whoami').description('who your token belongs to: user, institution, roles, projects (GET /v1/me)')).action(
    runAction(async (opts: CommonOptions) => {
      const me = await connect(opts.url).get<Me>('/v1/me');
      if (opts.output === 'json') return printJson(me);
      say(`${me.userId} (${me.name} <${me.email}>) of ${me.institutionId}`);
      say(`roles: ${me.roles.join(', ') || 'none'}${me.operatorSiteIds.length > 0 ? `; operates ${me.operatorSiteIds.join(', ')}` : ''}`);
      say(me.projects.length > 0 ? `projects: ${me.projects.map((p) => p.id).join(', ')}` : 'projects: none (a member of no project)');
      say(me.defaultProject ? `ncg submit charges ${me.defaultProject} unless you name --project` : 'ncg submit needs --project');
    }),
  );
}
