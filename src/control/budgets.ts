/**
 * Budgets for the snapshot (DESIGN §5.3): one BudgetState per allocation active now. The limit is the
 * award in GPU-seconds (gpu_hours × 3600); spent is what the ledger charged to the allocation's
 * institution (or project) since its period began. Budgets never decay. Work running since its last ledger
 * window (at most one usage window) is not in `spent`; the core covers running jobs by committing their
 * remaining walltime, so the gap is a minute of GPUs at most.
 */
import type { Allocation } from '../domain/types.js';
import type { BudgetState } from '../scheduler/types.js';
import { listAllocations } from '../store/repositories/allocations.js';
import { spentByAllocation } from '../store/repositories/usage-ledger.js';
import type { Db } from '../store/rows.js';

/** Turn allocations and their spend into the core's budget states (pure). */
export function toBudgetStates(allocations: readonly Allocation[], spent: ReadonlyMap<string, number>): BudgetState[] {
  return allocations.map((a) => {
    const b: BudgetState = {
      institutionId: a.institutionId,
      limitGpuSeconds: a.gpuHours * 3600,
      spentGpuSeconds: spent.get(a.id) ?? 0,
      kind: a.kind,
      gracePct: a.gracePct,
      mayBorrow: a.mayBorrow,
    };
    if (a.projectId !== undefined) b.projectId = a.projectId;
    if (a.maxConcurrentGpus !== undefined) b.maxConcurrentGpus = a.maxConcurrentGpus;
    return b;
  });
}

/** Budget states of every allocation active at `now`. */
export async function loadBudgets(db: Db, now: number): Promise<BudgetState[]> {
  const [allocations, spent] = await Promise.all([listAllocations(db, { activeAt: now }), spentByAllocation(db, now)]);
  return toBudgetStates(allocations, spent);
}
