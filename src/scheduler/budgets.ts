/**
 * Budgets (DESIGN §5.3). Budgets never decay: a period's award is spent once. A job is admitted only if its
 * worst case, GPUs × walltime, fits in what is left after what was spent and what is already committed —
 * running jobs' remaining walltime × GPUs, plus every admission earlier in this cycle. Hard budgets stop at
 * the limit; soft budgets admit up to `gracePct` over it, then only `preemptible` jobs.
 *
 * An institution-level budget (no projectId) covers all of its jobs; a project budget covers that project's
 * jobs too (when its institution matches), and a job must fit every budget that covers it. An institution
 * with no budget row is not limited here (the control loop decides whether it may submit at all).
 */
import type { BudgetAccount, Party } from './parties.js';
import type { JobBase } from './types.js';

/** A failed budget check, with the numbers behind it. */
export interface BudgetRefusal {
  account: BudgetAccount;
  remainingGpuSeconds: number;
  neededGpuSeconds: number;
  message: string;
}

/** GPU-seconds a job may still consume: GPUs × walltime. */
export function jobCostGpuSeconds(job: Pick<JobBase, 'nodes' | 'gpusPerNode' | 'walltimeSeconds'>): number {
  return job.nodes * job.gpusPerNode * job.walltimeSeconds;
}

/**
 * Null when every budget of `inst` and `proj` covering a job admits `need` more GPU-seconds (soft budgets
 * past their grace still admit `preemptible` jobs); else the first refusal.
 */
export function budgetRefusal(inst: Party, proj: Party, need: number, preemptible: boolean): BudgetRefusal | null {
  for (const a of inst.budgets) {
    const r = refuse(a, need, preemptible);
    if (r) return r;
  }
  for (const a of proj.budgets) {
    if (a.state.institutionId !== inst.id) continue;
    const r = refuse(a, need, preemptible);
    if (r) return r;
  }
  return null;
}

/** Commit `gpuSeconds` against every budget covering a job of `inst` and `proj`. */
export function commitBudget(inst: Party, proj: Party, gpuSeconds: number): void {
  for (const a of inst.budgets) a.committed += gpuSeconds;
  for (const a of proj.budgets) if (a.state.institutionId === inst.id) a.committed += gpuSeconds;
}

/** GPU-seconds a running job still has committed at `now`: GPUs × remaining walltime. */
export function remainingCommitment(job: Pick<JobBase, 'nodes' | 'gpusPerNode' | 'walltimeSeconds'> & { startedAt: number }, now: number): number {
  return job.nodes * job.gpusPerNode * Math.max(0, (job.startedAt + job.walltimeSeconds * 1000 - now) / 1000);
}

function refuse(a: BudgetAccount, need: number, preemptible: boolean): BudgetRefusal | null {
  const s = a.state;
  const used = s.spentGpuSeconds + a.committed;
  const remaining = s.limitGpuSeconds - used;
  if (need <= remaining) return null;
  if (s.kind === 'soft') {
    const ceiling = s.limitGpuSeconds * (1 + Math.max(0, s.gracePct) / 100);
    if (need <= ceiling - used || preemptible) return null;
  }
  const whose = s.projectId === undefined ? `institution ${s.institutionId}` : `project ${s.projectId}`;
  const numbers = `${hours(Math.max(0, remaining))} GPU-h left of ${hours(s.limitGpuSeconds)} (spent ${hours(s.spentGpuSeconds)}, committed ${hours(a.committed)}); the job needs ${hours(need)} GPU-h`;
  const message = s.kind === 'hard'
    ? `hard budget of ${whose} exhausted: ${numbers}`
    : `soft budget of ${whose} past its ${s.gracePct}% grace: ${numbers}; only preemptible jobs run now`;
  return { account: a, remainingGpuSeconds: remaining, neededGpuSeconds: need, message };
}

function hours(gpuSeconds: number): string {
  return (gpuSeconds / 3600).toFixed(1);
}
