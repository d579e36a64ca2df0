/** Integrity lives in the database: CHECKs, foreign keys and unique idempotency keys refuse bad rows. */
import { beforeAll, expect, it } from 'vitest';
import { DomainError, isDomainError } from '../../../src/domain/errors.js';
import { createAllocation, withDbErrors, writeGridSeed, type Db, type NewRow } from '../../../src/store/index.js';
import { describeEachStore } from '../../helpers/db.js';
import { fixtureInstitutionId, gridFixture, PERIOD_END, PERIOD_START } from '../../helpers/grid-fixture.js';
import { jobRow } from '../../helpers/job-rows.js';

const INST = fixtureInstitutionId(0);

/** The DomainError a write fails with (mapped from the database error). */
async function refusal(write: () => Promise<unknown>): Promise<DomainError> {
  const err = await withDbErrors(write).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isDomainError(err)) throw new Error(`expected a DomainError, got ${String(err)}`);
  return err;
}

function allocationRow(id: string, overrides: Partial<NewRow<'allocations'>>): NewRow<'allocations'> {
  return { id, institution_id: INST, period_start: new Date(PERIOD_START), period_end: new Date(PERIOD_END), gpu_hours: 10, kind: 'hard', ...overrides };
}

describeEachStore('constraints', (getDb) => {
  const db = (): Db => getDb();
  beforeAll(async () => {
    await writeGridSeed(getDb(), gridFixture());
  });

  it('a negative GPU-hour budget is refused by the database (CHECK), not only by the repository', async () => {
    const err = await refusal(() => db().insertInto('allocations').values(allocationRow('neg', { gpu_hours: -1 })).execute());
    expect(err.code).toBe('invalid');
    expect(err.details?.constraint).toBe('allocations_gpu_hours_check');
    const viaRepo = await createAllocation(db(), { id: 'neg2', institutionId: INST, periodStart: PERIOD_START, periodEnd: PERIOD_END, gpuHours: -5, kind: 'hard', gracePct: 0, mayBorrow: true }).catch((e: unknown) => e);
    expect((viaRepo as DomainError).code).toBe('invalid');
    expect((viaRepo as DomainError).details?.issues).toEqual([{ path: 'gpuHours', message: 'must be 0 or more' }]);
  });

  it('grace outside 0..100, an empty period and an unknown kind are refused', async () => {
    const cases: [string, Partial<NewRow<'allocations'>>, string][] = [
      ['grace', { grace_pct: 101 }, 'allocations_grace_pct_check'],
      ['period', { period_end: new Date(PERIOD_START) }, 'allocations_check'],
      ['kind', { kind: 'squishy' as never }, 'allocations_kind_check'],
    ];
    for (const [id, overrides, constraint] of cases) {
      const err = await refusal(() => db().insertInto('allocations').values(allocationRow(id, overrides)).execute());
      expect([id, err.code, err.details?.constraint]).toEqual([id, 'invalid', constraint]);
    }
  });

  it('a project sub-allocation must name the project’s own institution', async () => {
    const err = await refusal(() => db().insertInto('allocations').values(allocationRow('cross', { project_id: `${fixtureInstitutionId(1)}-p1` })).execute());
    expect(err.code).toBe('invalid');
    expect(err.message).toMatch(/does not exist/);
  });

  it('pools need GPUs and nodes: zero GPUs per node and zero nodes are refused', async () => {
    const pool = { id: 'p-zero', cluster_id: 'isb-k8s', name: 'zero', gpu_type: 'H100-80GB', nodes: 1, gpus_per_node: 8, gpu_memory_gb: 80, bf16_tflops: 989 };
    const zeroGpus = await refusal(() => db().insertInto('pools').values({ ...pool, gpus_per_node: 0 }).execute());
    expect(zeroGpus.details?.constraint).toBe('pools_gpus_per_node_check');
    const zeroNodes = await refusal(() => db().insertInto('pools').values({ ...pool, nodes: 0 }).execute());
    expect(zeroNodes.details?.constraint).toBe('pools_nodes_check');
  });

  it('jobs: zero GPUs, zero walltime, an unknown state or QoS, and no GPU types are refused', async () => {
    const cases: [string, Partial<NewRow<'jobs'>>, string][] = [
      ['gpus', { gpus_per_node: 0 }, 'jobs_gpus_per_node_check'],
      ['nodes', { nodes: 0 }, 'jobs_nodes_check'],
      ['walltime', { walltime_seconds: 0 }, 'jobs_walltime_seconds_check'],
      ['state', { state: 'sleeping' as never }, 'jobs_state_check'],
      ['qos', { qos: 'urgent' as never }, 'jobs_qos_check'],
      ['types', { gpu_types: [] }, 'jobs_gpu_types_check'],
    ];
    for (const [tag, overrides, constraint] of cases) {
      const err = await refusal(() => db().insertInto('jobs').values(jobRow(`bad-${tag}`, overrides)).execute());
      expect([tag, err.code, err.details?.constraint]).toEqual([tag, 'invalid', constraint]);
    }
  });

  it('a running job must name its cluster and start time', async () => {
    const err = await refusal(() => db().insertInto('jobs').values(jobRow('run-nowhere', { state: 'running' })).execute());
    expect(err.code).toBe('invalid');
    const ok = await db()
      .insertInto('jobs')
      .values(jobRow('run-ok', { state: 'running', cluster_id: 'isb-k8s', pool_id: 'isb-k8s-h100', started_at: new Date(Date.UTC(2026, 0, 5, 1)), node_names: ['n1', 'n2'] }))
      .returning(['state', 'node_names', 'borrowed'])
      .executeTakeFirstOrThrow();
    expect(ok).toEqual({ state: 'running', node_names: ['n1', 'n2'], borrowed: false });
  });

  it('a pool must belong to the job’s cluster', async () => {
    const err = await refusal(() =>
      db().insertInto('jobs').values(jobRow('wrong-pool', { state: 'dispatching', cluster_id: 'qta-slurm', pool_id: 'isb-k8s-h100' })).execute(),
    );
    expect(err.code).toBe('invalid');
  });

  it('idempotency keys: a client key is unique per user, a dispatch key unique overall', async () => {
    await db().insertInto('jobs').values(jobRow('ck-1', { client_key: 'train-42', dispatch_key: 'd-1' })).execute();
    const sameUser = await refusal(() => db().insertInto('jobs').values(jobRow('ck-2', { client_key: 'train-42' })).execute());
    expect(sameUser.code).toBe('conflict');
    const otherUser = jobRow('ck-3', { client_key: 'train-42', institution_id: fixtureInstitutionId(1), project_id: `${fixtureInstitutionId(1)}-p1`, user_id: `${fixtureInstitutionId(1)}-r1` });
    await db().insertInto('jobs').values(otherUser).execute();
    const sameDispatch = await refusal(() => db().insertInto('jobs').values(jobRow('ck-4', { dispatch_key: 'd-1' })).execute());
    expect(sameDispatch.code).toBe('conflict');
    expect(sameDispatch.details?.constraint).toBe('jobs_dispatch_key_key');
  });

  it('a job of an unknown user is refused by the foreign key', async () => {
    const err = await refusal(() => db().insertInto('jobs').values(jobRow('ghost', { user_id: 'nobody' })).execute());
    expect(err.code).toBe('invalid');
    expect(err.details?.constraint).toBe('jobs_user_id_fkey');
  });
});
