/**
 * slurmrestd openapi/v0.0.38 (Slurm 22.05, Debian 12): paths, the JSON shapes the adapter reads, and the
 * submit body. Shapes were measured against the real daemon (see docs/slurm.md); the quirks that matter:
 * - `environment` must be a dictionary (v0.0.39+ takes a list of `K=V`); without it the submit is a 400.
 * - `nodes` must be a plain integer: the `[min, max]` array the OpenAPI document describes is accepted
 *   and silently ignored (the job gets one node).
 * - `nodelist` (a hostlist) pins the nodes although the OpenAPI document does not list it; its sibling
 *   `required_nodes` is refused as a "Disabled key".
 * - `current_working_directory` defaults to slurmrestd's own cwd, so it is always set, with stdout.
 * - `exit_code` is the raw wait status (decoded in job-status.ts).
 */
import { z } from 'zod';
import type { SlurmApiMapping, SlurmJob, SlurmNode, SlurmPartition, SubmitPlan } from './model.js';

const prefix = '/slurm/v0.0.38';

const str = z.string().nullish().transform((v) => v ?? '');
const num = z.number().nullish().transform((v) => v ?? 0);

const nodeSchema = z.object({
  name: z.string(),
  state: str,
  state_flags: z.array(z.string()).nullish().transform((v) => v ?? []),
  gres: str,
  gres_used: str,
  partitions: z.array(z.string()).nullish().transform((v) => v ?? []),
  cpus: num,
  alloc_cpus: num,
});

const partitionSchema = z.object({ name: z.string(), state: str });

const jobSchema = z.object({
  job_id: z.number(),
  name: str,
  comment: str,
  user_name: str,
  partition: str,
  job_state: str,
  state_reason: str,
  exit_code: z.number().nullish(),
  submit_time: num,
  start_time: num,
  end_time: num,
  nodes: str,
});

function list<T extends z.ZodType>(body: unknown, key: string, item: T): z.infer<T>[] {
  const parsed = z.object({ [key]: z.array(item) }).safeParse(body);
  if (!parsed.success) {
    throw new Error(`slurmrestd v0.0.38: unexpected ${key} answer: ${parsed.error.issues[0]?.message ?? 'bad shape'}`);
  }
  return parsed.data[key] as z.infer<T>[];
}

function readNodes(body: unknown): SlurmNode[] {
  return list(body, 'nodes', nodeSchema).map((n) => ({
    name: n.name,
    state: n.state.toLowerCase(),
    flags: n.state_flags.map((f) => f.toUpperCase()),
    gres: n.gres,
    gresUsed: n.gres_used,
    partitions: n.partitions,
    cpus: n.cpus,
    allocCpus: n.alloc_cpus,
  }));
}

function readPartitions(body: unknown): SlurmPartition[] {
  return list(body, 'partitions', partitionSchema).map((p) => ({ name: p.name, state: p.state.toUpperCase() }));
}

function readJobs(body: unknown): SlurmJob[] {
  return list(body, 'jobs', jobSchema).map((j) => ({
    jobId: String(j.job_id),
    name: j.name,
    comment: j.comment,
    userName: j.user_name,
    partition: j.partition,
    state: j.job_state.toUpperCase(),
    stateReason: j.state_reason,
    ...(typeof j.exit_code === 'number' ? { exitCodeRaw: j.exit_code } : {}),
    submitTime: j.submit_time,
    startTime: j.start_time,
    endTime: j.end_time,
    nodes: j.nodes,
  }));
}

function submitBody(plan: SubmitPlan): unknown {
  return {
    script: plan.script,
    job: {
      name: plan.name,
      comment: plan.comment,
      partition: plan.partition,
      account: plan.account,
      nodes: plan.nodes,
      tasks: plan.nodes * plan.tasksPerNode,
      tasks_per_node: plan.tasksPerNode,
      cpus_per_task: plan.cpusPerTask,
      ...(plan.gpusPerNode ? { gpus_per_node: plan.gpusPerNode } : {}),
      memory_per_node: plan.memoryMbPerNode,
      ...(plan.nodeList ? { nodelist: plan.nodeList.join(',') } : {}),
      time_limit: plan.timeLimitMinutes,
      current_working_directory: plan.workdir,
      standard_output: plan.stdout,
      environment: plan.environment,
      // ncg decides where a job runs again after a failure; Slurm must not requeue behind its back.
      requeue: false,
    },
  };
}

function readSubmittedJobId(body: unknown): string {
  const parsed = z.object({ job_id: z.number() }).safeParse(body);
  if (!parsed.success) throw new Error('slurmrestd v0.0.38: submit answer without job_id');
  return String(parsed.data.job_id);
}

function pingOk(body: unknown): boolean {
  const parsed = z.object({ pings: z.array(z.object({ ping: str })) }).safeParse(body);
  return parsed.success && parsed.data.pings.some((p) => p.ping.toUpperCase() === 'UP');
}

/** The v0.0.38 mapping. */
export const apiV0038: SlurmApiMapping = {
  version: '0.0.38',
  paths: {
    ping: `${prefix}/ping`,
    nodes: `${prefix}/nodes`,
    partitions: `${prefix}/partitions`,
    jobs: `${prefix}/jobs`,
    job: (id) => `${prefix}/job/${encodeURIComponent(id)}`,
    submit: `${prefix}/job/submit`,
  },
  pingOk,
  readNodes,
  readPartitions,
  readJobs,
  submitBody,
  readSubmittedJobId,
};
