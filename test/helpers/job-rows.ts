/**
 * Rows for jobs and ledger entries on top of gridFixture(), for store tests that need them before a jobs
 * repository exists. Each call gets fresh ids from `tag` so tests in one file never collide.
 */
import type { NewRow } from '../../src/store/index.js';
import { fixtureInstitutionId } from './grid-fixture.js';

const INST = fixtureInstitutionId(0);

/** A queued 2×4 H100 job of the fixture's first institution. */
export function jobRow(tag: string, overrides: Partial<NewRow<'jobs'>> = {}): NewRow<'jobs'> {
  const spec = { name: tag, projectId: `${INST}-p1`, gpuTypes: ['H100-80GB'], nodes: 2, gpusPerNode: 4, cpusPerNode: 32, memoryGbPerNode: 256, walltimeSeconds: 3600, qos: 'normal' };
  return {
    id: `j-${tag}`,
    institution_id: INST,
    project_id: `${INST}-p1`,
    user_id: `${INST}-r1`,
    spec: JSON.stringify(spec),
    gpu_types: ['H100-80GB'],
    nodes: 2,
    gpus_per_node: 4,
    walltime_seconds: 3600,
    qos: 'normal',
    state: 'queued',
    submitted_at: new Date(Date.UTC(2026, 0, 5)),
    ...overrides,
  };
}

/** A one-minute ledger row for job `j-<tag>` on the fixture's Islamabad cluster. */
export function ledgerRow(tag: string, overrides: Partial<NewRow<'ledger_entries'>> = {}): NewRow<'ledger_entries'> {
  const start = Date.UTC(2026, 0, 5, 10, 0);
  return {
    job_id: `j-${tag}`,
    cluster_id: 'isb-k8s',
    institution_id: INST,
    project_id: `${INST}-p1`,
    user_id: `${INST}-r1`,
    gpu_type: 'H100-80GB',
    window_start: new Date(start),
    window_end: new Date(start + 60_000),
    gpu_seconds: 480,
    source: 'prometheus',
    efficiency: 0.9,
    ...overrides,
  };
}
