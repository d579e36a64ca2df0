/**
 * The store: ncg's only door to PostgreSQL/PGlite. Everything outside src/store goes through these
 * exports; SQL lives nowhere else. Every repository function takes a `Db` (a Kysely handle or an open
 * transaction) first, and speaks domain types (epoch ms, undefined) rather than rows.
 */
export { openDatabase, pingDatabase, redactUrl, type OpenDatabaseOptions, type OpenedDatabase } from './open-database.js';
export { PgliteDialect, type PgliteDialectConfig } from './pglite-dialect.js';
export { assertKnownMigrations, migrateToLatest, migrationStatus, pendingMigrations, type MigrationStatus } from './migrate.js';
export { knownMigrationNames, migrations } from './migrations/index.js';
export type { Database, NewRow, Row } from './schema.js';
export type { Db } from './rows.js';
export { mapDbError, withDbErrors } from './db-errors.js';
export { databaseUnavailableError, isDatabaseUnavailable } from './connection-errors.js';
export { newId, newJobId, ulid } from './ids.js';
export { DEFAULT_LIMIT, MAX_LIMIT, decodeCursor, encodeCursor, type Page, type PageRequest } from './cursor.js';
export { getSite, listSites } from './repositories/sites.js';
export { getCluster, listClusters, setClusterState, type ClusterWithPools } from './repositories/clusters.js';
export { countInstitutions, getInstitution, listInstitutions } from './repositories/institutions.js';
export { getProject, isProjectMember, listProjectMembers, listProjects } from './repositories/projects.js';
export { findUserByEmail, getUser, listUsers } from './repositories/users.js';
export { createApiToken, getApiToken, listApiTokens, resolveToken, revokeApiToken, type ApiTokenInfo, type CreatedApiToken } from './repositories/api-tokens.js';
export { createAllocation, getAllocation, listAllocations } from './repositories/allocations.js';
export { getMeta, isEmpty, SEEDED_AT, setMeta } from './repositories/meta.js';
export { writeGridSeed, type SeedCounts } from './repositories/grid-seed.js';
export { registerCluster, type ClusterRegistration } from './repositories/cluster-registration.js';
