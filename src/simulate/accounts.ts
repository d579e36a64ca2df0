/**
 * The account tree and budgets a simulation hands the core: national → institution (grid shares, or the
 * policy's overrides) → one project per institution → the workload's users (equal shares, as Slurm's
 * default association shares are).
 */
import type { AccountNode } from '../scheduler/types.js';
import type { SimPolicy } from './policy-loader.js';
import type { SimGrid } from './sim-grid.js';
import { simProjectId, type SimJob } from './workload-mapping.js';

/** Institution id → effective shares (policy overrides on top of the grid). */
export function effectiveShares(grid: SimGrid, policy: SimPolicy): Map<string, number> {
  return new Map(grid.institutions.map((i) => [i.id, policy.shares[i.id] ?? i.shares]));
}

/** Build the account tree for a grid, a policy and the users a workload brings. */
export function buildAccountTree(grid: SimGrid, policy: SimPolicy, jobs: readonly SimJob[]): AccountNode {
  const users = new Map<string, Set<string>>();
  for (const j of jobs) {
    let set = users.get(j.institutionId);
    if (!set) users.set(j.institutionId, (set = new Set()));
    set.add(j.leafId);
  }
  const shares = effectiveShares(grid, policy);
  return {
    id: 'national',
    shares: 1,
    children: grid.institutions.map((inst) => {
      const leaves = [...(users.get(inst.id) ?? [])].sort();
      const project: AccountNode = { id: simProjectId(inst.id), shares: 1, children: leaves.map((id) => ({ id, shares: 1 })) };
      return { id: inst.id, shares: shares.get(inst.id) ?? 0, children: leaves.length > 0 ? [project] : [] };
    }),
  };
}

/** One institution's budget as the simulator enforces it. */
export interface SimBudget {
  institutionId: string;
  limitGpuSeconds: number;
  kind: 'hard' | 'soft';
  gracePct: number;
  maxConcurrentGpus?: number;
  mayBorrow: boolean;
}

/** The budgets a policy asks for, and the budget period in seconds. */
export function buildBudgets(grid: SimGrid, policy: SimPolicy): { budgets: SimBudget[]; periodSeconds: number } {
  const b = policy.budgets;
  if (b.mode === 'none') return { budgets: [], periodSeconds: grid.budgetPeriodSeconds };
  if (b.mode === 'grid') {
    return {
      budgets: grid.allocations.map((a) => ({
        institutionId: a.institutionId,
        limitGpuSeconds: a.gpuHours * 3600,
        kind: a.kind,
        gracePct: a.gracePct,
        maxConcurrentGpus: a.maxConcurrentGpus,
        mayBorrow: a.mayBorrow,
      })),
      periodSeconds: grid.budgetPeriodSeconds,
    };
  }
  const budgets: SimBudget[] = [];
  for (const inst of grid.institutions) {
    const hours = b.institutions[inst.id] ?? b.defaultGpuHours;
    if (hours === undefined) continue;
    budgets.push({ institutionId: inst.id, limitGpuSeconds: hours * 3600, kind: b.kind, gracePct: b.gracePct, mayBorrow: true });
  }
  return { budgets, periodSeconds: b.periodDays !== undefined ? b.periodDays * 86400 : grid.budgetPeriodSeconds };
}
