/**
 * Grid files (YAML, validated): either the embedded national grid by name, or sites/pools/GPU types and
 * institutions inline, optionally on top of the national grid (`base: national`). Example:
 *   name: lab
 *   pools: [{ id: p1, gpuType: a100, nodes: 4, gpusPerNode: 8 }]
 *   institutions: [{ id: big, shares: 3 }, { id: small, shares: 1 }]
 *   allocations: [{ institution: small, gpuHours: 500, kind: hard }]
 *   budgetPeriodDays: 30
 *   workload: { institutionBy: group, institutionTable: { g75: big }, gpusPerProcessor: 1, timeScale: auto }
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.js';
import { nationalGridSeed } from '../seed/national-grid.js';
import { byId, DEFAULT_MAPPING, gridFromSeed, type SimGrid } from './sim-grid.js';
import { readYaml } from './yaml-input.js';

const id = z.string().min(1);
const count = z.number().int().positive();

const gridSchema = z.strictObject({
  base: z.literal('national').optional(),
  name: id.optional(),
  budgetPeriodDays: z.number().positive().optional(),
  pools: z.array(z.strictObject({
    id,
    cluster: id.optional(),
    site: id.optional(),
    gpuType: id,
    nodes: count,
    gpusPerNode: count,
    available: z.boolean().default(true),
  })).min(1).optional(),
  institutions: z.array(z.strictObject({ id, name: z.string().optional(), shares: z.number().positive() })).min(1).optional(),
  allocations: z.array(z.strictObject({
    institution: id,
    gpuHours: z.number().nonnegative(),
    kind: z.enum(['hard', 'soft']).default('hard'),
    gracePct: z.number().nonnegative().default(0),
    maxConcurrentGpus: count.optional(),
    mayBorrow: z.boolean().default(true),
  })).optional(),
  workload: z.strictObject({
    institutionBy: z.enum(['group', 'user']).default('group'),
    institutionTable: z.record(z.string(), id).default({}),
    gpusPerProcessor: z.union([z.literal('auto'), z.number().positive()]).default(1),
    timeScale: z.union([z.literal('auto'), z.number().positive()]).default('auto'),
  }).optional(),
});

/** The names a grid argument may take instead of a file. */
export const NAMED_GRIDS = ['national'] as const;

/** Load `--grid`: `national` or a YAML file's text (with its name for errors). */
export function loadGrid(nameOrText: { name: 'national' } | { text: string; fileName: string }): SimGrid {
  if ('name' in nameOrText) return gridFromSeed('national', nationalGridSeed());
  const file = readYaml(nameOrText.text, gridSchema, nameOrText.fileName);
  const base: SimGrid | undefined = file.base === 'national' ? gridFromSeed('national', nationalGridSeed()) : undefined;
  if (!base && !file.pools) throw DomainError.invalid(`${nameOrText.fileName}: pools: required (or set base: national)`, [{ path: 'pools', message: 'required' }]);
  if (!base && !file.institutions) throw DomainError.invalid(`${nameOrText.fileName}: institutions: required (or set base: national)`, [{ path: 'institutions', message: 'required' }]);
  const grid: SimGrid = {
    name: file.name ?? base?.name ?? nameOrText.fileName,
    pools: file.pools
      ? file.pools.map((p) => ({ clusterId: p.cluster ?? `${p.id}-cluster`, poolId: p.id, siteId: p.site ?? 'site', gpuType: p.gpuType, nodes: p.nodes, gpusPerNode: p.gpusPerNode, available: p.available }))
      : base!.pools,
    institutions: file.institutions ? file.institutions.map((i) => ({ id: i.id, name: i.name ?? i.id, shares: i.shares })).sort(byId) : base!.institutions,
    allocations: file.allocations
      ? file.allocations.map((a) => ({ institutionId: a.institution, gpuHours: a.gpuHours, kind: a.kind, gracePct: a.gracePct, maxConcurrentGpus: a.maxConcurrentGpus, mayBorrow: a.mayBorrow }))
      : (base?.allocations ?? []),
    budgetPeriodSeconds: file.budgetPeriodDays !== undefined ? file.budgetPeriodDays * 86400 : (base?.budgetPeriodSeconds ?? 365 * 86400),
    mapping: file.workload ?? { ...DEFAULT_MAPPING },
  };
  checkReferences(grid, nameOrText.fileName);
  return grid;
}

function checkReferences(grid: SimGrid, fileName: string): void {
  const known = new Set(grid.institutions.map((i) => i.id));
  const issues: { path: string; message: string }[] = [];
  grid.allocations.forEach((a, i) => {
    if (!known.has(a.institutionId)) issues.push({ path: `allocations.${i}.institution`, message: `unknown institution ${JSON.stringify(a.institutionId)}` });
  });
  for (const [key, inst] of Object.entries(grid.mapping.institutionTable)) {
    if (!known.has(inst)) issues.push({ path: `workload.institutionTable.${key}`, message: `unknown institution ${JSON.stringify(inst)}` });
  }
  const poolKeys = new Set<string>();
  grid.pools.forEach((p, i) => {
    const key = `${p.clusterId}/${p.poolId}`;
    if (poolKeys.has(key)) issues.push({ path: `pools.${i}.id`, message: `duplicate pool ${JSON.stringify(p.poolId)} in cluster ${JSON.stringify(p.clusterId)}` });
    poolKeys.add(key);
  });
  if (issues.length > 0) {
    throw DomainError.invalid(`${fileName}: invalid:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`, issues);
  }
}
