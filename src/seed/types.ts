/**
 * The shape of a grid seed: everything needed to stand up a national grid in an empty database
 * (and, for the what-if simulator, a grid without a database).
 */
import type { Allocation, Cluster, Institution, Pool, Project, Site, User } from '../domain/types.js';

/** A cluster in a seed, with its backend settings (sim clusters: none needed). */
export interface SeedCluster extends Cluster {
  /** Backend settings stored with the cluster (e.g. slurmrestd URL); empty for sim clusters. */
  config: Record<string, unknown>;
}

/** A complete, deterministic grid: the same call gives the same rows. */
export interface GridSeed {
  sites: Site[];
  clusters: SeedCluster[];
  pools: Pool[];
  institutions: Institution[];
  projects: Project[];
  users: User[];
  /** Which users may submit to which projects. */
  projectMembers: { projectId: string; userId: string }[];
  allocations: Allocation[];
}
