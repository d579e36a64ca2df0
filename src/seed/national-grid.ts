/**
 * The national grid seed: the sites and sim clusters of the national AI compute grid, 150 institutions
 * with projects, people and a quarterly GPU-hour allocation each. Deterministic: no clock, no randomness
 * beyond a fixed-seed PRNG, so two calls give deep-equal rows and a re-seed writes the same database.
 */
import type { Allocation, Institution, Pool, Site } from '../domain/types.js';
import { gridInfrastructure } from './grid-sites.js';
import { CITY_PROVINCE, INSTITUTIONS } from './institution-list.js';
import { seedPeople } from './people.js';
import { DEFAULT_SEED_PERIOD, periodHours, quarterBounds, type PeriodBounds } from './period.js';
import type { GridSeed } from './types.js';

/** Options of the national grid seed. */
export interface NationalGridSeedOptions {
  /** Allocation period, a quarter like `2026-Q4` (default); the seed never reads the clock. */
  period?: string;
}

/**
 * Share of the period's GPU-hours awarded across all institutions. Below 1 so budgets bind before the
 * grid is full, leaving room for preemptible work and operations.
 */
export const AWARDED_FRACTION = 0.8;

/** GPUs an institution may hold at once, per fair-share weight (a flagship with 4 shares: 256). */
export const CONCURRENT_GPUS_PER_SHARE = 64;

/** The national grid as rows, for an empty database or the what-if simulator. */
export function nationalGridSeed(options: NationalGridSeedOptions = {}): GridSeed {
  const period = quarterBounds(options.period ?? DEFAULT_SEED_PERIOD);
  const infra = gridInfrastructure();
  const institutions = INSTITUTIONS.map(([id, shortName, name, city, shares]): Institution => {
    const province = CITY_PROVINCE[city];
    if (!province) throw new Error(`grid seed: no province for ${city} (institution ${id})`);
    return { id, name, shortName, province, city, shares };
  });
  const people = seedPeople(institutions, infra.sites);
  return {
    // Site rows only: the host institution is seed-internal (it places each site's operator).
    sites: infra.sites.map(({ id, name, city, province, tier }): Site => ({ id, name, city, province, tier })),
    clusters: infra.clusters,
    pools: infra.pools,
    institutions,
    projects: people.projects,
    users: people.users,
    projectMembers: people.projectMembers,
    allocations: allocationsFor(institutions, infra.pools, period),
  };
}

/** Total GPUs of a set of pools. */
export function totalGpus(pools: readonly Pick<Pool, 'nodes' | 'gpusPerNode'>[]): number {
  return pools.reduce((sum, p) => sum + p.nodes * p.gpusPerNode, 0);
}

/**
 * One allocation per institution: GPU-hours in proportion to its shares of AWARDED_FRACTION of the grid's
 * GPU-hours in the period, rounded down to 100. Flagships (3+ shares) get soft budgets with 10 % grace;
 * the rest hard budgets. Everyone may borrow idle GPUs.
 */
function allocationsFor(institutions: readonly Institution[], pools: readonly Pool[], period: PeriodBounds): Allocation[] {
  const awardable = totalGpus(pools) * periodHours(period) * AWARDED_FRACTION;
  const totalShares = institutions.reduce((sum, i) => sum + i.shares, 0);
  return institutions.map((inst): Allocation => {
    const soft = inst.shares >= 3;
    return {
      id: `${inst.id}-${period.name.toLowerCase()}`,
      institutionId: inst.id,
      periodStart: period.start,
      periodEnd: period.end,
      gpuHours: Math.floor((awardable * inst.shares) / totalShares / 100) * 100,
      kind: soft ? 'soft' : 'hard',
      gracePct: soft ? 10 : 0,
      maxConcurrentGpus: inst.shares * CONCURRENT_GPUS_PER_SHARE,
      mayBorrow: true,
    };
  });
}
