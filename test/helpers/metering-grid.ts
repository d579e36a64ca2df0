/**
 * A small grid for metering tests: one Slurm-style and one Kubernetes-style sim cluster whose ids carry a
 * random tag (so runs sharing one Prometheus never see each other's series), one institution with a
 * project, a researcher and an allocation, and helpers to put running and finished jobs in the store.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/index.js';
import type { GridSeed } from '../../src/seed/types.js';

/** Ids of a metering grid. */
export interface MeteringGrid {
  tag: string;
  slurm: string;
  k8s: string;
  slurmPool: string;
  k8sPool: string;
  institution: string;
  project: string;
  user: string;
  allocation: string;
  seed: GridSeed;
}

/** A fresh grid with tagged cluster ids; the allocation runs over `period` (default: a year around now). */
export function meteringGrid(period?: { start: number; end: number }): MeteringGrid {
  const tag = `m${randomBytes(3).toString('hex')}`;
  const now = Date.now();
  const p = period ?? { start: now - 180 * 86_400_000, end: now + 180 * 86_400_000 };
  const [slurm, k8s] = [`${tag}-slurm`, `${tag}-k8s`];
  const ids = { tag, slurm, k8s, slurmPool: `${slurm}-a100`, k8sPool: `${k8s}-h100`, institution: 'inst-m', project: 'inst-m-p1', user: 'inst-m-r1', allocation: 'alloc-inst-m' };
  const seed: GridSeed = {
    sites: [{ id: 'site-m', name: 'Metering CoE', city: 'Lahore', province: 'Punjab', tier: 'primary-coe' }],
    clusters: [
      { id: slurm, siteId: 'site-m', name: 'slurm', kind: 'sim', state: 'active', config: { jobLabelStyle: 'hpc_job' } },
      { id: k8s, siteId: 'site-m', name: 'k8s', kind: 'sim', state: 'active', config: { jobLabelStyle: 'kubernetes', namespace: 'ncg' } },
    ],
    pools: [
      { id: ids.slurmPool, clusterId: slurm, name: 'a100', gpuType: 'A100-40GB', nodes: 2, gpusPerNode: 4, gpuMemoryGb: 40, bf16Tflops: 312 },
      { id: ids.k8sPool, clusterId: k8s, name: 'h100', gpuType: 'H100-80GB', nodes: 2, gpusPerNode: 4, gpuMemoryGb: 80, bf16Tflops: 989.4 },
    ],
    institutions: [{ id: ids.institution, name: 'Metering Institute', shortName: 'MI', province: 'Punjab', city: 'Lahore', shares: 1 }],
    projects: [{ id: ids.project, institutionId: ids.institution, name: 'MI vision', shares: 1 }],
    users: [
      { id: ids.user, institutionId: ids.institution, name: 'Researcher MI', email: 'r1@mi.edu.pk', roles: ['researcher'] },
      { id: 'admin-m', institutionId: ids.institution, name: 'National Admin', email: 'admin@ncg.gov.pk', roles: ['national-admin'] },
    ],
    projectMembers: [{ projectId: ids.project, userId: ids.user }],
    allocations: [{ id: ids.allocation, institutionId: ids.institution, periodStart: p.start, periodEnd: p.end, gpuHours: 100, kind: 'hard', gracePct: 0, mayBorrow: true }],
  };
  return { ...ids, seed };
}

/** A job row as the control loop would have it once running (or finished, with `endedAt`). */
export interface TestJob {
  id: string;
  clusterId: string;
  poolId: string;
  gpuType: string;
  nodes: number;
  gpusPerNode: number;
  startedAt: number;
  endedAt?: number;
  externalId?: string;
}

/** Insert jobs as running (or succeeded when they have an end). */
export async function insertJobs(db: Kysely<Database>, grid: MeteringGrid, jobs: readonly TestJob[]): Promise<void> {
  if (jobs.length === 0) return;
  await db
    .insertInto('jobs')
    .values(
      jobs.map((j) => {
        const spec = { name: j.id, projectId: grid.project, gpuTypes: [j.gpuType], nodes: j.nodes, gpusPerNode: j.gpusPerNode, cpusPerNode: 8, memoryGbPerNode: 64, walltimeSeconds: 3600, qos: 'normal' };
        return {
          id: j.id, institution_id: grid.institution, project_id: grid.project, user_id: grid.user, spec: JSON.stringify(spec),
          gpu_types: [j.gpuType], nodes: j.nodes, gpus_per_node: j.gpusPerNode, walltime_seconds: 3600, qos: 'normal' as const,
          state: j.endedAt === undefined ? ('running' as const) : ('succeeded' as const),
          submitted_at: new Date(j.startedAt - 1_000), started_at: new Date(j.startedAt), ended_at: j.endedAt === undefined ? null : new Date(j.endedAt),
          cluster_id: j.clusterId, pool_id: j.poolId, external_id: j.externalId ?? null, dispatch_key: `${j.id}#1`,
        };
      }),
    )
    .execute();
}

/** Mark a running job succeeded at `endedAt` (what reconcile would do). */
export async function finishJob(db: Kysely<Database>, jobId: string, endedAt: number): Promise<void> {
  await db.updateTable('jobs').set({ state: 'succeeded', ended_at: new Date(endedAt), exit_code: 0 }).where('id', '=', jobId).execute();
}
