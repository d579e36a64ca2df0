/** The national grid seed: deterministic, complete, consistent. */
import { describe, expect, it } from 'vitest';
import { GPU_MODELS } from '../../../src/domain/gpu-models.js';
import { AWARDED_FRACTION, nationalGridSeed, totalGpus } from '../../../src/seed/national-grid.js';

const seed = nationalGridSeed();

function gpusByType(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of seed.pools) out[p.gpuType] = (out[p.gpuType] ?? 0) + p.nodes * p.gpusPerNode;
  return out;
}

describe('nationalGridSeed', () => {
  it('is deterministic: two calls are deep-equal, and the period only moves allocations', () => {
    expect(nationalGridSeed()).toEqual(seed);
    const q1 = nationalGridSeed({ period: '2027-Q1' });
    expect({ ...q1, allocations: [] }).toEqual({ ...seed, allocations: [] });
    expect(q1.allocations[0]).toMatchObject({ id: 'nust-2027-q1', periodStart: Date.UTC(2027, 0, 1), periodEnd: Date.UTC(2027, 3, 1) });
    expect(() => nationalGridSeed({ period: '2026-Q5' })).toThrow('period must look like 2026-Q4');
  });

  it('has the policy sites: primary CoEs, auxiliary centres, a national data centre, an AI hub', () => {
    const byTier = (tier: string) => seed.sites.filter((s) => s.tier === tier).map((s) => s.city);
    expect(byTier('primary-coe')).toEqual(['Islamabad', 'Lahore', 'Karachi']);
    expect(byTier('auxiliary-coe')).toEqual(['Peshawar', 'Quetta', 'Faisalabad', 'Hyderabad']);
    expect(byTier('data-centre')).toEqual(['Islamabad']);
    expect(byTier('ai-hub')).toHaveLength(1);
    expect(seed.sites).toHaveLength(9);
    expect(Object.keys(seed.sites[0]!).sort()).toEqual(['city', 'id', 'name', 'province', 'tier']);
  });

  it('has ≥ 8 sim clusters at ≥ 8 sites and 2,816 GPUs of four catalogued types', () => {
    expect(seed.clusters.length).toBeGreaterThanOrEqual(8);
    expect(new Set(seed.clusters.map((c) => c.siteId)).size).toBeGreaterThanOrEqual(8);
    expect(seed.clusters.every((c) => c.kind === 'sim' && c.state === 'active')).toBe(true);
    expect(totalGpus(seed.pools)).toBe(2816);
    expect(gpusByType()).toEqual({ 'h100-80gb': 1408, 'a100-80gb': 576, 'a100-40gb': 304, l40s: 528 });
    for (const p of seed.pools) {
      const model = GPU_MODELS[p.gpuType]!;
      expect([p.gpuMemoryGb, p.bf16Tflops]).toEqual([model.memoryGb, model.bf16Tflops]);
      expect([4, 8]).toContain(p.gpusPerNode);
    }
    expect(seed.pools.find((p) => p.id === 'coe-islamabad-hpc-h100-80gb')).toMatchObject({ bf16Tflops: 989, nodes: 40, gpusPerNode: 8 });
  });

  it('has 150 institutions with province, city and shares 1–4, each with one allocation for the period', () => {
    expect(seed.institutions).toHaveLength(150);
    for (const i of seed.institutions) {
      expect(i.province).not.toBe('');
      expect(i.shares).toBeGreaterThanOrEqual(1);
      expect(i.shares).toBeLessThanOrEqual(4);
    }
    expect(seed.institutions.find((i) => i.id === 'buitems')).toMatchObject({ city: 'Quetta', province: 'Balochistan' });
    expect(seed.allocations.map((a) => a.institutionId).sort()).toEqual(seed.institutions.map((i) => i.id).sort());
    const nust = seed.allocations.find((a) => a.institutionId === 'nust')!;
    expect(nust).toMatchObject({ periodStart: Date.UTC(2026, 9, 1), periodEnd: Date.UTC(2027, 0, 1), kind: 'soft', gracePct: 10, maxConcurrentGpus: 256 });
    // 2,816 GPUs × 2,208 h × 0.8 × 4 / 241 shares = 82,557 → 82,500 GPU-hours.
    expect(nust.gpuHours).toBe(82_500);
    const awarded = seed.allocations.reduce((s, a) => s + a.gpuHours, 0);
    expect(awarded).toBeLessThanOrEqual(2816 * 2208 * AWARDED_FRACTION);
    expect(awarded).toBeGreaterThan(2816 * 2208 * AWARDED_FRACTION * 0.99);
  });

  it('gives every institution 2–3 projects, researchers and exactly one institution admin', () => {
    for (const inst of seed.institutions) {
      const projects = seed.projects.filter((p) => p.institutionId === inst.id);
      expect(projects.length).toBeGreaterThanOrEqual(2);
      expect(projects.length).toBeLessThanOrEqual(3);
      const users = seed.users.filter((u) => u.institutionId === inst.id);
      expect(users.filter((u) => u.roles.includes('institution-admin'))).toHaveLength(1);
      expect(users.filter((u) => u.roles.includes('researcher')).length).toBe(projects.length * 2);
    }
    expect(seed.users.filter((u) => u.roles.includes('national-admin')).map((u) => u.id)).toEqual(['national-admin']);
    const operators = seed.users.filter((u) => u.roles.includes('coe-operator'));
    expect(operators.flatMap((u) => u.operatorSiteIds ?? []).sort()).toEqual(seed.sites.map((s) => s.id).sort());
  });

  it('has unique ids and emails, readable slugs', () => {
    const tables = { sites: seed.sites, clusters: seed.clusters, pools: seed.pools, institutions: seed.institutions, projects: seed.projects, users: seed.users, allocations: seed.allocations };
    for (const [name, rows] of Object.entries(tables)) {
      const ids = rows.map((r) => r.id);
      expect(new Set(ids).size, `${name} ids`).toBe(ids.length);
      for (const id of ids) expect(id, `${name} id`).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
    expect(new Set(seed.users.map((u) => u.email)).size).toBe(seed.users.length);
    const members = seed.projectMembers.map((m) => `${m.projectId}/${m.userId}`);
    expect(new Set(members).size).toBe(members.length);
  });

  it('keeps referential integrity: every foreign key points at an existing row', () => {
    const ids = (rows: { id: string }[]) => new Set(rows.map((r) => r.id));
    const [sites, clusters, institutions, projects, users] = [ids(seed.sites), ids(seed.clusters), ids(seed.institutions), ids(seed.projects), ids(seed.users)];
    const dangling = [
      ...seed.clusters.filter((c) => !sites.has(c.siteId)).map((c) => `cluster ${c.id}`),
      ...seed.pools.filter((p) => !clusters.has(p.clusterId)).map((p) => `pool ${p.id}`),
      ...seed.projects.filter((p) => !institutions.has(p.institutionId)).map((p) => `project ${p.id}`),
      ...seed.users.filter((u) => !institutions.has(u.institutionId)).map((u) => `user ${u.id}`),
      ...seed.users.flatMap((u) => (u.operatorSiteIds ?? []).filter((s) => !sites.has(s)).map((s) => `operator site ${s}`)),
      ...seed.allocations.filter((a) => !institutions.has(a.institutionId)).map((a) => `allocation ${a.id}`),
      ...seed.projectMembers.filter((m) => !projects.has(m.projectId) || !users.has(m.userId)).map((m) => `member ${m.projectId}/${m.userId}`),
    ];
    expect(dangling).toEqual([]);
    // A member belongs to the project's institution.
    const instOf = new Map(seed.users.map((u) => [u.id, u.institutionId]));
    const projInst = new Map(seed.projects.map((p) => [p.id, p.institutionId]));
    expect(seed.projectMembers.filter((m) => instOf.get(m.userId) !== projInst.get(m.projectId))).toEqual([]);
  });
});
