/** `ncg submit`: queue a job from flags, a YAML job file, or both, with the command after `--`. */
import type { Command } from 'commander';
import type { JobView } from '../../api/schemas/job-view.js';
import type { Me } from '../../services/whoami.js';
import { CliError, EXIT } from '../client.js';
import { connect } from '../connection.js';
import { printJson, say, withCommonOptions, type CommonOptions } from '../output.js';
import { submitBody, type SubmitFlags } from '../submit-body.js';
import { pendingLine } from '../job-text.js';
import { runAction } from './run-action.js';

const collect = (value: string, previous: string[]) => [...previous, value];

/** Register `submit`. */
export function registerSubmit(program: Command): void {
  withCommonOptions(
    program
      .command('submit')
      .description('submit a job to the national queue (prints its id)')
      .argument('[command...]', 'the command and its arguments, after --  (e.g. -- python train.py --epochs 3)')
      .option('-f, --file <job.yaml>', 'job file with REST body fields (name, project, gpuType, nodes, gpusPerNode, walltime, env, sim, …); flags override it')
      .option('--name <name>', 'job name')
      .option('--project <id>', 'project to charge (NCG_PROJECT; default: your first project, see ncg whoami)')
      .option('--gpus <n>', 'GPUs on each node (default 1)')
      .option('--gpus-per-node <n>', 'the same as --gpus')
      .option('--nodes <n>', 'nodes of the gang (default 1)')
      .option('--gpu-type <types>', 'any, a GPU type, or a comma-separated list (default any)')
      .option('--cpus <n>', 'CPU cores per node (default 8)')
      .option('--mem <size>', 'memory per node: 64, 64G, 512M (default 32G)')
      .option('--walltime <duration>', 'walltime limit: 90m, 1h30m, 2d, 01:30:00 or seconds')
      .option('--qos <qos>', 'normal, high or preemptible (default normal)')
      .option('--site <id>', 'preferred site, e.g. coe-islamabad')
      .option('--image <image>', 'container image (Kubernetes clusters)')
      .option('--script <file>', 'batch script file (Slurm clusters), instead of a command')
      .option('--env <NAME=value>', 'environment variable (repeatable)', collect, [])
      .option('--sim-duration <duration>', 'run time on simulated clusters, e.g. 30s')
      .option('--sim-exit-code <n>', 'exit code on simulated clusters (default 0)')
      .option('--idempotency-key <key>', 'retrying with the same key returns the same job instead of a second one'),
  ).action(
    runAction(async (command: string[], opts: SubmitFlags & CommonOptions & { idempotencyKey?: string; gpusPerNode?: string }) => {
      const client = connect(opts.url);
      const body = submitBody({ ...opts, gpus: opts.gpusPerNode ?? opts.gpus }, command);
      body.project ??= process.env.NCG_PROJECT || undefined;
      if (body.project === undefined) {
        // No project named: charge the caller's default (GET /v1/me), and say which one it was.
        const me = (await client.request<Me>('GET', '/v1/me')).body;
        if (me.defaultProject === undefined) {
          throw new CliError(`--project is required: ${me.userId} is a member of no project; name one with --project, NCG_PROJECT or project: in the job file`, EXIT.usage);
        }
        body.project = me.defaultProject;
        if (opts.output !== 'json') {
          const others = me.projects.length > 1 ? ` (you are in ${me.projects.length} projects; choose with --project)` : '';
          say(`charging project ${me.defaultProject}${others}`);
        }
      }
      const headers: Record<string, string> = opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {};
      const { status, body: job } = await client.request<JobView>('POST', '/v1/jobs', { body, headers });
      if (opts.output === 'json') return printJson(job);
      say(status === 201 ? `submitted job ${job.id} (${job.state})` : `job ${job.id} was already submitted with this idempotency key (${job.state})`);
      if (job.pending) say(pendingLine(job.pending));
      say(`follow it: ncg watch ${job.id}`);
    }),
  );
}
