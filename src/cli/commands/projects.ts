/** `ncg projects` and `ncg project show|create|add-member|remove-member`: projects and who may submit to them. */
import type { Command } from 'commander';
import { connect } from '../connection.js';
import { details, num, printJson, say, table, withCommonOptions, type CommonOptions } from '../output.js';
import { gpuHoursFlag } from './cli-numbers.js';
import { runAction } from './run-action.js';

/** A project as the server shows it. */
interface ProjectView { id: string; institution: string; name: string; shares: number; members?: string[] }
/** A membership change. */
interface MemberChange { project: string; user: string; changed: boolean; members: string[] }

/** Register `projects` and `project …`. */
export function registerProjects(program: Command): void {
  withCommonOptions(program.command('projects').description("projects of your institution (national admins: any)").option('--institution <id>', 'only this institution')).action(
    runAction(async (opts: CommonOptions & { institution?: string }) => {
      const { items } = await connect(opts.url).get<{ items: ProjectView[] }>('/v1/projects', { institution: opts.institution });
      if (opts.output === 'json') return printJson({ items });
      say(items.length === 0 ? 'no projects' : table(['ID', 'INSTITUTION', 'NAME', 'SHARES'], items.map((p) => [p.id, p.institution, p.name, num(p.shares)]), ['SHARES']));
    }),
  );

  const project = program.command('project').description('one project: show, create, add or remove members');

  withCommonOptions(project.command('show').description('a project and its members').argument('<id>', 'project id')).action(
    runAction(async (id: string, opts: CommonOptions) => {
      const p = await connect(opts.url).get<ProjectView>(`/v1/projects/${encodeURIComponent(id)}`);
      if (opts.output === 'json') return printJson(p);
      details([['project', p.id], ['institution', p.institution], ['name', p.name], ['shares', num(p.shares)], ['members', (p.members ?? []).join(', ') || '(none)']]);
    }),
  );

  withCommonOptions(
    project.command('create').description('create a project (institution admins)').requiredOption('--name <name>', 'project name').option('--id <id>', 'project id (default <institution>-<name>)').option('--institution <id>', 'institution (national admins)').option('--shares <n>', 'fair-share weight (default 1)'),
  ).action(
    runAction(async (opts: CommonOptions & { name: string; id?: string; institution?: string; shares?: string }) => {
      const body = { name: opts.name, ...(opts.id ? { id: opts.id } : {}), ...(opts.institution ? { institution: opts.institution } : {}), ...(opts.shares !== undefined ? { shares: gpuHoursFlag(opts.shares, '--shares') } : {}) };
      const { body: p } = await connect(opts.url).request<ProjectView>('POST', '/v1/projects', { body });
      if (opts.output === 'json') return printJson(p);
      say(`created project ${p.id} (${p.name}) in ${p.institution}; add members with: ncg project add-member ${p.id} --user <id>`);
    }),
  );

  const printChange = (c: MemberChange, verb: string) => say(`${c.changed ? verb : 'unchanged'}: ${c.project} members are ${c.members.join(', ') || '(none)'}`);

  withCommonOptions(project.command('add-member').description('let a user of the institution submit to the project').argument('<project>', 'project id').requiredOption('--user <id>', 'user id')).action(
    runAction(async (id: string, opts: CommonOptions & { user: string }) => {
      const { body: c } = await connect(opts.url).request<MemberChange>('POST', `/v1/projects/${encodeURIComponent(id)}/members`, { body: { user: opts.user } });
      if (opts.output === 'json') return printJson(c);
      printChange(c, `added ${c.user}`);
    }),
  );

  withCommonOptions(project.command('remove-member').description('stop a user submitting to the project (jobs already submitted stay)').argument('<project>', 'project id').requiredOption('--user <id>', 'user id')).action(
    runAction(async (id: string, opts: CommonOptions & { user: string }) => {
      const { body: c } = await connect(opts.url).request<MemberChange>('DELETE', `/v1/projects/${encodeURIComponent(id)}/members/${encodeURIComponent(opts.user)}`);
      if (opts.output === 'json') return printJson(c);
      printChange(c, `removed ${c.user}`);
    }),
  );
}
