/**
 * Which group a row belongs to, per grouping, and the group's human label. Compute-side groupings (site,
 * province, cluster, GPU type) place usage where it ran; people-side groupings (institution, project,
 * institution province) place it by who used it. Capacity exists only on the compute side.
 */
import type { Grouping, KpiInput, PoolRow } from './types.js';

/** The dimensions a fact row carries. */
export interface FactKeys { clusterId: string; gpuType: string; institutionId: string; projectId: string }

/** Key functions and labels of one grouping over one input. */
export interface GroupIndex {
  grouping: Grouping;
  /** The group of a fact row; undefined when it has none (e.g. a job that never ran, by site). */
  ofFact(r: FactKeys): string | undefined;
  /** The group of a pool; undefined for people-side groupings (no capacity there). */
  ofPool(p: PoolRow): string | undefined;
  /** Every group known up front (all sites, all institutions…), so idle ones show as zeros. */
  known: string[];
  label(key: string): string;
}

/** Build the group index of `grouping` for `input`. */
export function groupIndex(input: KpiInput, grouping: Grouping): GroupIndex {
  const clusters = new Map(input.clusters.map((c) => [c.id, c]));
  const sites = new Map(input.sites.map((s) => [s.id, s]));
  const institutions = new Map(input.institutions.map((i) => [i.id, i]));
  const projects = new Map(input.projects.map((p) => [p.id, p]));
  const siteOf = (clusterId: string) => sites.get(clusters.get(clusterId)?.siteId ?? '');
  const sorted = (keys: Iterable<string>) => [...new Set(keys)].sort();
  const same = (k: string) => k;
  switch (grouping) {
    case 'national':
      return { grouping, ofFact: () => 'national', ofPool: () => 'national', known: ['national'], label: () => 'National' };
    case 'site':
      return { grouping, ofFact: (r) => siteOf(r.clusterId)?.id, ofPool: (p) => siteOf(p.clusterId)?.id, known: sorted(sites.keys()), label: (k) => sites.get(k)?.name ?? k };
    case 'province':
      return { grouping, ofFact: (r) => siteOf(r.clusterId)?.province, ofPool: (p) => siteOf(p.clusterId)?.province, known: sorted(input.sites.map((s) => s.province)), label: same };
    case 'cluster':
      return { grouping, ofFact: (r) => (clusters.has(r.clusterId) ? r.clusterId : undefined), ofPool: (p) => p.clusterId, known: sorted(clusters.keys()), label: (k) => clusters.get(k)?.name ?? k };
    case 'gpuType':
      return { grouping, ofFact: (r) => (r.clusterId === '' ? undefined : r.gpuType), ofPool: (p) => p.gpuType, known: sorted(input.pools.map((p) => p.gpuType)), label: same };
    case 'institution':
      return { grouping, ofFact: (r) => r.institutionId, ofPool: () => undefined, known: sorted(institutions.keys()), label: (k) => institutions.get(k)?.shortName ?? k };
    case 'institutionProvince':
      return { grouping, ofFact: (r) => institutions.get(r.institutionId)?.province, ofPool: () => undefined, known: sorted(input.institutions.map((i) => i.province)), label: same };
    case 'project':
      return { grouping, ofFact: (r) => r.projectId, ofPool: () => undefined, known: sorted(projects.keys()), label: (k) => projects.get(k)?.name ?? k };
  }
}

/** True for groupings that have capacity (compute side). */
export function hasCapacity(grouping: Grouping): boolean {
  return ['national', 'site', 'province', 'cluster', 'gpuType'].includes(grouping);
}
