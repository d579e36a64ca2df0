/**
 * Budgets (DESIGN §5.3). Budgets never decay: a period's award is spent once. A job is admitted only if its
 * worst case, GPUs × walltime, fits in what is left after what was spent and what is already committed —
 * running jobs' remaining walltime × GPUs, plus every admission earlier in this cycle. Hard budgets stop at
 * the limit; soft budgets admit up to `gracePct` over it, then only `preemptible` jobs.
 *
 * An institution-level budget (no projectId) covers all of its jobs; a project budget covers that project's
 * jobs too, and a job must fit every budget that covers it. An institution with no budget row is not
 * limited here (the control loop decides whether such an institution may submit at all).
 */
import type { BudgetState, JobBase, RunningJob } from './types.js';

interface BudgetAccount {
  state: BudgetState;
  /** GPU-seconds promised to running jobs and this cycle's admissions. */
  committed: number;
}

/** A failed budget check, with the numbers behind it. */
export interface BudgetRefusal {
  budget: BudgetState;
  remainingGpuSeconds: number;
  neededGpuSeconds: number;
  message: string;
}

/** GPU-seconds a job may still consume: GPUs × walltime. */
export function jobCostGpuSeconds(job: Pick<JobBase, 'nodes' | 'gpusPerNode' | 'walltimeSeconds'>): number {
  return job.nodes * job.gpusPerNode * job.walltimeSeconds;
}

/** The budget ledger of one cycle: check, then commit admissions. */
export class BudgetBook {
  private readonly byInstitution = new Map<string, BudgetAccount[]>();
  private readonly byProject = new Map<string, BudgetAccount[]>();

  constructor(budgets: readonly BudgetState[], running: readonly RunningJob[], now: number) {
    for (const state of budgets) {
      const account: BudgetAccount = { state, committed: 0 };
      const map = state.projectId === undefined ? this.byInstitution : this.byProject;
      const key = state.projectId ?? state.institutionId;
      const list = map.get(key);
      if (list) list.push(account);
      else map.set(key, [account]);
    }
    for (const r of running) {
      const remainingSeconds = Math.max(0, (r.startedAt + r.walltimeSeconds * 1000 - now) / 1000);
      this.add(r, r.nodes * r.gpusPerNode * remainingSeconds);
    }
  }

  /** Null when every budget covering `job` admits it; otherwise the first refusal. */
  check(job: JobBase): BudgetRefusal | null {
    const need = jobCostGpuSeconds(job);
    return this.checkList(this.byInstitution.get(job.institutionId), job, need)
      ?? this.checkList(this.byProject.get(job.projectId), job, need);
  }

  /** Record an admission so later jobs of this cycle see it committed. */
  commit(job: JobBase): void {
    this.add(job, jobCostGpuSeconds(job));
  }

  private add(job: Pick<JobBase, 'institutionId' | 'projectId'>, gpuSeconds: number): void {
    for (const a of this.byInstitution.get(job.institutionId) ?? []) a.committed += gpuSeconds;
    for (const a of this.byProject.get(job.projectId) ?? []) {
      if (a.state.institutionId === job.institutionId) a.committed += gpuSeconds;
    }
  }

  private checkList(list: BudgetAccount[] | undefined, job: JobBase, need: number): BudgetRefusal | null {
    if (!list) return null;
    for (const a of list) {
      if (a.state.projectId !== undefined && a.state.institutionId !== job.institutionId) continue;
      const refusal = refuse(a, job, need);
      if (refusal) return refusal;
    }
    return null;
  }
}

function refuse(a: BudgetAccount, job: JobBase, need: number): BudgetRefusal | null {
  const s = a.state;
  const used = s.spentGpuSeconds + a.committed;
  const remaining = s.limitGpuSeconds - used;
  if (need <= remaining) return null;
  const whose = s.projectId === undefined ? `institution ${s.institutionId}` : `project ${s.projectId}`;
  const numbers = `${hours(Math.max(0, remaining))} GPU-h left of ${hours(s.limitGpuSeconds)} (spent ${hours(s.spentGpuSeconds)}, committed ${hours(a.committed)}); the job needs ${hours(need)} GPU-h`;
  if (s.kind === 'hard') {
    return { budget: s, remainingGpuSeconds: remaining, neededGpuSeconds: need, message: `hard budget of ${whose} exhausted: ${numbers}` };
  }
  const ceiling = s.limitGpuSeconds * (1 + Math.max(0, s.gracePct) / 100);
  if (need <= ceiling - used || job.qos === 'preemptible') return null;
  return {
    budget: s,
    remainingGpuSeconds: remaining,
    neededGpuSeconds: need,
    message: `soft budget of ${whose} past its ${s.gracePct}% grace: ${numbers}; only preemptible jobs run now`,
  };
}

function hours(gpuSeconds: number): string {
  return (gpuSeconds / 3600).toFixed(1);
}
