/**
 * "Could any pool ever run this?" — checked at submission so an impossible job fails now with a 422 that
 * says what exists, instead of waiting forever with reason `GpuTypeUnavailable`. Only the shape is
 * checked (GPU type, GPUs per node, nodes of one pool); whether there is room now is the scheduler's job.
 */
import { DomainError } from '../domain/errors.js';
import type { CatalogPool, GridCatalog } from './pool-catalog.js';

/** The part of a request the check looks at. */
export interface ShapeRequest {
  gpuTypes: string[];
  nodes: number;
  gpusPerNode: number;
  preferredSiteId?: string;
}

const MAX_NAMED = 3;

function where(pools: CatalogPool[]): string {
  const named = pools.slice(0, MAX_NAMED).map((p) => `${p.gpuType} at ${p.siteId}`);
  const unique = [...new Set(named)];
  return pools.length > MAX_NAMED ? `${unique.join(', ')}, …` : unique.join(', ');
}

function unprocessable(message: string, details: Record<string, unknown>): DomainError {
  return new DomainError('unprocessable', message, { unsatisfiable: true, ...details });
}

/** Canonical GPU types for the request (`['any']`, or each type spelt as the pools spell it); 422 for unknown types. */
export function canonicalGpuTypes(catalog: GridCatalog, requested: string[]): string[] {
  if (requested.some((t) => t.toLowerCase() === 'any')) return ['any'];
  const known = [...new Set(catalog.gpuTypes.values())].sort();
  const unknown = requested.filter((t) => !catalog.gpuTypes.has(t.toLowerCase()));
  if (unknown.length > 0) {
    const list = known.length > 0 ? known.join(', ') : 'none (no pools are registered yet)';
    throw unprocessable(`GPU type ${unknown.map((t) => JSON.stringify(t)).join(', ')} does not exist in the grid; the types that exist are: ${list} (or any)`, {
      field: 'gpuType',
      unknownGpuTypes: unknown,
      gpuTypes: known,
    });
  }
  return [...new Set(requested.map((t) => catalog.gpuTypes.get(t.toLowerCase())!))];
}

/** Throw a 422 unless some pool could hold the whole gang; returns the canonical GPU types. */
export function checkSatisfiable(catalog: GridCatalog, req: ShapeRequest): string[] {
  if (req.preferredSiteId !== undefined && !catalog.siteIds.has(req.preferredSiteId)) {
    throw DomainError.invalid(`preferredSite ${JSON.stringify(req.preferredSiteId)} is not a site of the grid; the sites are: ${[...catalog.siteIds].sort().join(', ')}`, [
      { path: 'preferredSite', message: 'unknown site' },
    ]);
  }
  const gpuTypes = canonicalGpuTypes(catalog, req.gpuTypes);
  const any = gpuTypes.includes('any');
  const candidates = catalog.pools.filter((p) => any || gpuTypes.includes(p.gpuType));
  const of = any ? 'any type' : gpuTypes.join(' or ');
  if (candidates.length === 0) throw unprocessable('the grid has no GPU pools yet; no job can run until a cluster is registered', { field: 'gpuType' });

  const maxPerNode = Math.max(...candidates.map((p) => p.gpusPerNode));
  if (req.gpusPerNode > maxPerNode) {
    const largest = candidates.filter((p) => p.gpusPerNode === maxPerNode);
    throw unprocessable(`no pool has ${req.gpusPerNode} GPUs per node of ${of}; the largest nodes have ${maxPerNode} (${where(largest)})`, {
      field: 'gpusPerNode',
      maxGpusPerNode: maxPerNode,
    });
  }
  const wide = candidates.filter((p) => p.gpusPerNode >= req.gpusPerNode);
  const maxNodes = Math.max(...wide.map((p) => p.nodes));
  if (req.nodes > maxNodes) {
    const largest = wide.filter((p) => p.nodes === maxNodes);
    throw unprocessable(
      `no pool has ${req.nodes} nodes with ${req.gpusPerNode} GPUs each of ${of}; a gang runs inside one pool and the largest such pool has ${maxNodes} nodes (${where(largest)})`,
      { field: 'nodes', maxNodes },
    );
  }
  return gpuTypes;
}
