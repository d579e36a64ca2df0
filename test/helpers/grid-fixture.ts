/**
 * A small, deterministic GridSeed for store tests: 2 sites, 2 clusters, 3 pools, `institutions`
 * institutions (default 3) each with one project, one researcher and a quarterly allocation, plus a
 * national admin and a CoE operator. Ids are readable slugs like the real seed's.
 */
import type { GridSeed } from '../../src/seed/types.js';

/** Start of the fixture's allocation period: 2026-01-01T00:00:00Z. */
export const PERIOD_START = Date.UTC(2026, 0, 1);
/** End of the fixture's allocation period: 2026-04-01T00:00:00Z. */
export const PERIOD_END = Date.UTC(2026, 3, 1);

/** Institution ids of the fixture, `inst-00`, `inst-01`, … (zero-padded so id order is numeric order). */
export function fixtureInstitutionId(i: number): string {
  return `inst-${String(i).padStart(2, '0')}`;
}

/** Build the fixture grid. */
export function gridFixture(institutions = 3): GridSeed {
  const insts = Array.from({ length: institutions }, (_, i) => ({
    id: fixtureInstitutionId(i),
    name: `Institute ${i}`,
    shortName: `I${i}`,
    province: i % 2 === 0 ? 'Punjab' : 'Sindh',
    city: i % 2 === 0 ? 'Lahore' : 'Karachi',
    shares: 1 + i,
  }));
  return {
    sites: [
      { id: 'coe-islamabad', name: 'CoE Islamabad', city: 'Islamabad', province: 'Islamabad Capital Territory', tier: 'primary-coe' },
      { id: 'aux-quetta', name: 'Auxiliary Centre Quetta', city: 'Quetta', province: 'Balochistan', tier: 'auxiliary-coe' },
    ],
    clusters: [
      { id: 'isb-k8s', siteId: 'coe-islamabad', name: 'k8s', kind: 'sim', state: 'active', config: { flavour: 'kubernetes' } },
      { id: 'qta-slurm', siteId: 'aux-quetta', name: 'slurm', kind: 'sim', state: 'draining', config: {} },
    ],
    pools: [
      { id: 'isb-k8s-h100', clusterId: 'isb-k8s', name: 'h100', gpuType: 'H100-80GB', nodes: 4, gpusPerNode: 8, gpuMemoryGb: 80, bf16Tflops: 989.4 },
      { id: 'isb-k8s-l40s', clusterId: 'isb-k8s', name: 'l40s', gpuType: 'L40S', nodes: 2, gpusPerNode: 4, gpuMemoryGb: 48, bf16Tflops: 362.05 },
      { id: 'qta-slurm-a100', clusterId: 'qta-slurm', name: 'gpu', gpuType: 'A100-40GB', nodes: 3, gpusPerNode: 4, gpuMemoryGb: 40, bf16Tflops: 312 },
    ],
    institutions: insts,
    projects: insts.map((inst) => ({ id: `${inst.id}-p1`, institutionId: inst.id, name: `${inst.shortName} vision`, shares: 1 })),
    users: [
      ...insts.map((inst) => ({ id: `${inst.id}-r1`, institutionId: inst.id, name: `Researcher ${inst.shortName}`, email: `r1@${inst.id}.edu.pk`, roles: ['researcher' as const] })),
      { id: 'admin', institutionId: fixtureInstitutionId(0), name: 'National Admin', email: 'admin@ncg.gov.pk', roles: ['national-admin', 'researcher'] },
      { id: 'op-quetta', institutionId: fixtureInstitutionId(0), name: 'Quetta Operator', email: 'ops@quetta.pk', roles: ['coe-operator'], operatorSiteIds: ['aux-quetta'] },
    ],
    projectMembers: insts.map((inst) => ({ projectId: `${inst.id}-p1`, userId: `${inst.id}-r1` })),
    allocations: insts.map((inst, i) => ({
      id: `alloc-${inst.id}-2026q1`,
      institutionId: inst.id,
      periodStart: PERIOD_START,
      periodEnd: PERIOD_END,
      gpuHours: 1000 * (i + 1),
      kind: i % 2 === 0 ? 'hard' : 'soft',
      gracePct: i % 2 === 0 ? 0 : 10,
      ...(i === 0 ? { maxConcurrentGpus: 16 } : {}),
      mayBorrow: i !== 1,
    })),
  };
}
