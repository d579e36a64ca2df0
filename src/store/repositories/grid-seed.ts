/**
 * Writing a GridSeed (src/seed/types.ts) into an empty database: everything in one transaction, under an
 * advisory lock so two replicas starting together cannot both seed, and refused if already seeded.
 */
import { sql } from 'kysely';
import { DomainError } from '../../domain/errors.js';
import type { GridSeed } from '../../seed/types.js';
import { withDbErrors } from '../db-errors.js';
import { chunks, json, type Db } from '../rows.js';
import type { Database, NewRow } from '../schema.js';
import { allocationIssues, allocationToRow } from './allocations.js';
import { getMeta, SEEDED_AT, setMeta } from './meta.js';

/** How many rows of each kind were written. */
export type SeedCounts = { [K in keyof GridSeed]: number };

/** Insert `seed` in one transaction; DomainError `conflict` if the database was already seeded. */
export async function writeGridSeed(db: Db, seed: GridSeed, nowMs: number = Date.now()): Promise<SeedCounts> {
  const badAllocation = seed.allocations.find((a) => allocationIssues(a).length > 0);
  if (badAllocation) throw DomainError.invalid(`seed allocation ${badAllocation.id} is not valid`, allocationIssues(badAllocation));
  return withDbErrors(() =>
    db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('ncg.seed'))`.execute(trx);
      const seededAt = await getMeta(trx, SEEDED_AT);
      if (seededAt !== undefined) throw new DomainError('conflict', `the database was already seeded at ${seededAt}`, { seededAt });
      await insertAll(trx, seed);
      await setMeta(trx, SEEDED_AT, new Date(nowMs).toISOString());
      return countsOf(seed);
    }),
  );
}

async function insertAll(trx: Db, seed: GridSeed): Promise<void> {
  await insert(trx, 'sites', seed.sites.map((s) => ({ id: s.id, name: s.name, city: s.city, province: s.province, tier: s.tier })));
  await insert(trx, 'clusters', seed.clusters.map((c) => ({ id: c.id, site_id: c.siteId, name: c.name, kind: c.kind, state: c.state, config: json(c.config ?? {}) })));
  await insert(
    trx,
    'pools',
    seed.pools.map((p) => ({
      id: p.id, cluster_id: p.clusterId, name: p.name, gpu_type: p.gpuType, nodes: p.nodes,
      gpus_per_node: p.gpusPerNode, gpu_memory_gb: p.gpuMemoryGb, bf16_tflops: p.bf16Tflops,
    })),
  );
  await insert(
    trx,
    'institutions',
    seed.institutions.map((i) => ({ id: i.id, name: i.name, short_name: i.shortName, province: i.province, city: i.city, shares: i.shares })),
  );
  await insert(trx, 'projects', seed.projects.map((p) => ({ id: p.id, institution_id: p.institutionId, name: p.name, shares: p.shares })));
  await insert(trx, 'users', seed.users.map((u) => ({ id: u.id, institution_id: u.institutionId, name: u.name, email: u.email })));
  await insert(trx, 'user_roles', seed.users.flatMap((u) => [...new Set(u.roles)].map((role) => ({ user_id: u.id, role }))));
  await insert(trx, 'operator_sites', seed.users.flatMap((u) => (u.operatorSiteIds ?? []).map((siteId) => ({ user_id: u.id, site_id: siteId }))));
  await insert(trx, 'project_members', seed.projectMembers.map((m) => ({ project_id: m.projectId, user_id: m.userId })));
  await insert(trx, 'allocations', seed.allocations.map(allocationToRow));
}

async function insert<T extends keyof Database>(trx: Db, table: T, rows: NewRow<T>[]): Promise<void> {
  // Chunked so a large grid stays under PostgreSQL's 65535 bind parameters per statement.
  for (const chunk of chunks(rows)) await trx.insertInto(table).values(chunk as never).execute();
}

function countsOf(seed: GridSeed): SeedCounts {
  return Object.fromEntries(Object.entries(seed).map(([k, v]) => [k, (v as unknown[]).length])) as SeedCounts;
}
