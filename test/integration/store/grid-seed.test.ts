/** writeGridSeed writes a whole grid in one transaction, once; the repositories read it back as domain types. */
import { expect, it } from 'vitest';
import { isDomainError } from '../../../src/domain/errors.js';
import {
  getCluster,
  getMeta,
  getUser,
  isEmpty,
  listAllocations,
  listClusters,
  listProjectMembers,
  listProjects,
  listSites,
  listUsers,
  SEEDED_AT,
  setClusterState,
  writeGridSeed,
} from '../../../src/store/index.js';
import { describeEachStore } from '../../helpers/db.js';
import { fixtureInstitutionId, gridFixture, PERIOD_START } from '../../helpers/grid-fixture.js';

const SEEDED_MS = Date.UTC(2026, 0, 2, 3, 4, 5);

describeEachStore('grid seed', (getDb) => {
  it('a seed that breaks a constraint half-way writes nothing (one transaction)', async () => {
    const broken = gridFixture();
    broken.pools.push({ ...broken.pools[0]!, id: 'orphan', clusterId: 'no-such-cluster', name: 'orphan' });
    const err = await writeGridSeed(getDb(), broken).catch((e: unknown) => e);
    expect(isDomainError(err) && err.code).toBe('invalid');
    expect(await isEmpty(getDb())).toBe(true);
    expect(await listSites(getDb())).toEqual([]);
  });

  it('an empty database is seeded once and then is no longer empty', async () => {
    const seed = gridFixture(5);
    expect(await isEmpty(getDb())).toBe(true);
    const counts = await writeGridSeed(getDb(), seed, SEEDED_MS);
    expect(counts).toEqual({ sites: 2, clusters: 2, pools: 3, institutions: 5, projects: 5, users: 7, projectMembers: 5, allocations: 5 });
    expect(await isEmpty(getDb())).toBe(false);
    expect(await getMeta(getDb(), SEEDED_AT)).toBe('2026-01-02T03:04:05.000Z');
  });

  it('seeding twice is refused with a conflict and changes nothing', async () => {
    const err = await writeGridSeed(getDb(), gridFixture(5)).catch((e: unknown) => e);
    expect(isDomainError(err) && err.code).toBe('conflict');
    expect((err as Error).message).toBe('the database was already seeded at 2026-01-02T03:04:05.000Z');
  });

  it('sites, clusters and pools read back exactly as seeded', async () => {
    const seed = gridFixture(5);
    expect(await listSites(getDb())).toEqual([...seed.sites].sort((a, b) => a.id.localeCompare(b.id)));
    const clusters = await listClusters(getDb());
    expect(clusters.map((c) => [c.id, c.siteId, c.kind, c.state, c.pools.map((p) => p.id)])).toEqual([
      ['isb-k8s', 'coe-islamabad', 'sim', 'active', ['isb-k8s-h100', 'isb-k8s-l40s']],
      ['qta-slurm', 'aux-quetta', 'sim', 'draining', ['qta-slurm-a100']],
    ]);
    expect(clusters[0]!.config).toEqual({ flavour: 'kubernetes' });
    expect(clusters[0]!.pools[1]).toEqual(seed.pools[1]);
  });

  it('a cluster can be drained and reactivated; an unknown cluster is not_found', async () => {
    await setClusterState(getDb(), 'isb-k8s', 'draining');
    expect((await getCluster(getDb(), 'isb-k8s')).state).toBe('draining');
    await setClusterState(getDb(), 'isb-k8s', 'active');
    expect((await getCluster(getDb(), 'isb-k8s')).state).toBe('active');
    const err = await setClusterState(getDb(), 'nope', 'offline').catch((e: unknown) => e);
    expect(isDomainError(err) && err.code).toBe('not_found');
  });

  it('users come back with roles and operated sites; projects with members', async () => {
    expect(await getUser(getDb(), 'admin')).toEqual({ id: 'admin', institutionId: fixtureInstitutionId(0), name: 'National Admin', email: 'admin@ncg.gov.pk', roles: ['national-admin', 'researcher'] });
    expect((await getUser(getDb(), 'op-quetta')).operatorSiteIds).toEqual(['aux-quetta']);
    expect((await listUsers(getDb(), { role: 'national-admin' })).map((u) => u.id)).toEqual(['admin']);
    expect((await listUsers(getDb(), { institutionId: fixtureInstitutionId(3) })).map((u) => u.id)).toEqual(['inst-03-r1']);
    expect(await listProjects(getDb(), { institutionId: fixtureInstitutionId(2) })).toEqual([{ id: 'inst-02-p1', institutionId: 'inst-02', name: 'I2 vision', shares: 1 }]);
    expect(await listProjectMembers(getDb(), 'inst-02-p1')).toEqual(['inst-02-r1']);
  });

  it('allocations read back with their optional fields, filtered by institution and period', async () => {
    const seed = gridFixture(5);
    const all = await listAllocations(getDb());
    expect(all).toEqual(seed.allocations);
    expect(await listAllocations(getDb(), { institutionId: fixtureInstitutionId(1) })).toEqual([seed.allocations[1]]);
    expect(await listAllocations(getDb(), { activeAt: PERIOD_START - 1 })).toEqual([]);
    expect((await listAllocations(getDb(), { activeAt: PERIOD_START })).length).toBe(5);
  });
});
