/**
 * Jobs as the meter sees them: found by what cluster metrics call them (the ncg job id, or the backend's
 * own id on that cluster, e.g. a Slurm job id in dcgm-exporter's `hpc_job`), and the runs a cluster had in
 * a span (for allocation estimates while Prometheus is down).
 */
import { sql } from 'kysely';
import type { JobState } from '../../domain/types.js';
import { chunks, date, optMs, type Db } from '../rows.js';

/** The fields of a job the meter charges and checks. */
export interface MeteredJob {
  id: string;
  institutionId: string;
  projectId: string;
  userId: string;
  /** The pool's GPU type, else the first type the job accepts. */
  gpuType: string;
  state: JobState;
  clusterId?: string;
  externalId?: string;
  startedAt?: number;
  endedAt?: number;
  /** GPUs the job holds while it runs (nodes × GPUs per node). */
  gpus: number;
}

interface JobRow {
  id: string; institution_id: string; project_id: string; user_id: string; gpu_type: string | null; gpu_types: string[];
  state: JobState; cluster_id: string | null; external_id: string | null; started_at: Date | null; ended_at: Date | null;
  nodes: number; gpus_per_node: number;
}

function toJob(r: JobRow): MeteredJob {
  const j: MeteredJob = {
    id: r.id, institutionId: r.institution_id, projectId: r.project_id, userId: r.user_id,
    gpuType: r.gpu_type ?? r.gpu_types[0] ?? 'unknown', state: r.state, gpus: r.nodes * r.gpus_per_node,
  };
  if (r.cluster_id !== null) j.clusterId = r.cluster_id;
  if (r.external_id !== null) j.externalId = r.external_id;
  const started = optMs(r.started_at);
  const ended = optMs(r.ended_at);
  if (started !== undefined) j.startedAt = started;
  if (ended !== undefined) j.endedAt = ended;
  return j;
}

const columns = sql`j.id, j.institution_id, j.project_id, j.user_id, p.gpu_type, j.gpu_types, j.state, j.cluster_id, j.external_id,
  j.started_at, j.ended_at, j.nodes, j.gpus_per_node`;

/**
 * The jobs that `refs` (job label values seen on `clusterId`) name, keyed by ref: a ref is an ncg job id,
 * or the external id of a job placed on that cluster. Refs that name nothing are absent.
 */
export async function jobsByRefs(db: Db, clusterId: string, refs: readonly string[]): Promise<Map<string, MeteredJob>> {
  const out = new Map<string, MeteredJob>();
  for (const part of chunks([...new Set(refs)], 5_000)) {
    if (part.length === 0) continue;
    const rows = await sql<JobRow>`
      select ${columns}
        from jobs j left join pools p on p.id = j.pool_id
       where j.id = any(${part}::text[])
          or (j.cluster_id = ${clusterId} and j.external_id = any(${part}::text[]))`.execute(db);
    const asked = new Set(part);
    const byExternal = new Map<string, MeteredJob>();
    for (const r of rows.rows) {
      const job = toJob(r);
      if (asked.has(job.id)) out.set(job.id, job);
      if (job.externalId !== undefined && job.clusterId === clusterId && asked.has(job.externalId)) byExternal.set(job.externalId, job);
    }
    // An ncg id wins over an external id that happens to be spelled the same.
    for (const [ref, job] of byExternal) if (!out.has(ref)) out.set(ref, job);
  }
  return out;
}

/** Jobs that ran on `clusterId` at some time in [from, to), per the store (state and start/end times). */
export async function jobsRunOn(db: Db, clusterId: string, from: number, to: number): Promise<MeteredJob[]> {
  const rows = await sql<JobRow>`
    select ${columns}
      from jobs j left join pools p on p.id = j.pool_id
     where j.cluster_id = ${clusterId}
       and j.state in ('running', 'succeeded', 'failed', 'cancelled')
       and j.started_at is not null and j.started_at < ${date(to)}
       and (j.ended_at is null or j.ended_at > ${date(from)})`.execute(db);
  return rows.rows.map(toJob);
}
