/**
 * Shares of capacity, borrowing and concurrency limits (DESIGN §5.4).
 *
 * An institution's nominal GPUs are its shares (among the root's children in the account tree) of the
 * healthy GPUs of available pools — in total, or per GPU type when `nominalShareBy` is `gpuType`.
 * Borrowed is decided at admission: a job is borrowed when its institution's *guaranteed* GPUs (those of
 * its running jobs that are not borrowed) plus the job's exceed nominal. Counting only guaranteed GPUs means
 * borrowed work never eats into what an institution is owed. Borrowing needs the policy's `borrowing` and
 * `mayBorrow` on every budget covering the job. `preemptible` jobs are always borrowed and need no right to
 * borrow: they run only on lent capacity and can always be taken back.
 *
 * `maxConcurrentGpus` (institution or project budget) caps all GPUs in use, borrowed or not.
 */
import type { AccountNode, BudgetState, JobBase, RunningJob, SchedulerPolicy } from './types.js';

/** Use and limits of one institution or project during a cycle. */
interface Holder {
  label: string;
  share: number;
  inUse: number;
  guaranteed: number;
  inUseByType: Map<string, number>;
  guaranteedByType: Map<string, number>;
  caps: number[];
  noBorrow: boolean;
}

/** Per-institution nominal GPUs and use, during one cycle. */
export class ShareBook {
  private readonly institutions = new Map<string, Holder>();
  private readonly projects = new Map<string, Holder>();
  /** Shares per GPU type? Then borrowing is decided per pool type. */
  readonly perType: boolean;

  constructor(
    private readonly policy: SchedulerPolicy,
    accounts: AccountNode,
    budgets: readonly BudgetState[],
    private readonly capacity: { total: number; byType: Map<string, number> },
  ) {
    this.perType = policy.nominalShareBy === 'gpuType';
    const children = accounts.children ?? [];
    let sum = 0;
    for (const c of children) sum += Math.max(0, c.shares);
    for (const c of children) this.institution(c.id).share = sum > 0 ? Math.max(0, c.shares) / sum : 0;
    for (const b of budgets) {
      const h = b.projectId === undefined ? this.institution(b.institutionId) : this.project(b.projectId);
      if (!b.mayBorrow) h.noBorrow = true;
      if (b.maxConcurrentGpus !== undefined) h.caps.push(b.maxConcurrentGpus);
    }
  }

  /** Count a running job of the snapshot. */
  addRunning(job: RunningJob): void {
    this.admit(job, job.gpuType, job.borrowed || job.qos === 'preemptible');
  }

  /** Nominal GPUs of an institution (in `gpuType` when shares are per type). */
  nominal(institutionId: string, gpuType?: string): number {
    const share = this.institutions.get(institutionId)?.share ?? 0;
    if (this.perType && gpuType !== undefined) return share * (this.capacity.byType.get(gpuType) ?? 0);
    return share * this.capacity.total;
  }

  /** Would `job` on `gpuType` be borrowed? */
  wouldBorrow(job: JobBase, gpuType?: string): boolean {
    if (job.qos === 'preemptible') return true;
    const h = this.institutions.get(job.institutionId);
    const guaranteed = !h ? 0 : this.perType && gpuType !== undefined ? h.guaranteedByType.get(gpuType) ?? 0 : h.guaranteed;
    return guaranteed + job.nodes * job.gpusPerNode > this.nominal(job.institutionId, gpuType);
  }

  /** May `job` run as borrowed? */
  mayBorrow(job: JobBase): boolean {
    if (job.qos === 'preemptible') return true;
    if (!this.policy.borrowing) return false;
    return !this.institutions.get(job.institutionId)?.noBorrow && !this.projects.get(job.projectId)?.noBorrow;
  }

  /** Null when `job` fits under every concurrent-GPU cap covering it; else a sentence saying which. */
  checkConcurrent(job: JobBase): string | null {
    const gpus = job.nodes * job.gpusPerNode;
    for (const h of [this.institutions.get(job.institutionId), this.projects.get(job.projectId)]) {
      if (!h) continue;
      for (const max of h.caps) {
        if (h.inUse + gpus > max) return `${h.label} may hold ${max} GPUs at once; ${h.inUse} in use and the job needs ${gpus}`;
      }
    }
    return null;
  }

  /** Record an admission (or a reclaim hold) of `job` on `gpuType`. */
  admit(job: JobBase, gpuType: string, borrowed: boolean): void {
    const gpus = job.nodes * job.gpusPerNode;
    const inst = this.institution(job.institutionId);
    const proj = this.project(job.projectId);
    inst.inUse += gpus;
    proj.inUse += gpus;
    bump(inst.inUseByType, gpuType, gpus);
    if (!borrowed) {
      inst.guaranteed += gpus;
      bump(inst.guaranteedByType, gpuType, gpus);
    }
  }

  /** Record a running job being preempted this cycle: its GPUs no longer count as its institution's use. */
  release(job: RunningJob): void {
    const gpus = job.nodes * job.gpusPerNode;
    const inst = this.institution(job.institutionId);
    inst.inUse -= gpus;
    this.project(job.projectId).inUse -= gpus;
    bump(inst.inUseByType, job.gpuType, -gpus);
    if (!job.borrowed && job.qos !== 'preemptible') {
      inst.guaranteed -= gpus;
      bump(inst.guaranteedByType, job.gpuType, -gpus);
    }
  }

  /** GPUs the institution uses above its nominal share (all its GPUs, borrowed or not); ≤ 0 when within. */
  excess(institutionId: string, gpuType: string): number {
    const h = this.institutions.get(institutionId);
    const used = !h ? 0 : this.perType ? h.inUseByType.get(gpuType) ?? 0 : h.inUse;
    return used - this.nominal(institutionId, gpuType);
  }

  private institution(id: string): Holder {
    return getOrMake(this.institutions, id, `institution ${id}`);
  }

  private project(id: string): Holder {
    return getOrMake(this.projects, id, `project ${id}`);
  }
}

function getOrMake(map: Map<string, Holder>, id: string, label: string): Holder {
  let h = map.get(id);
  if (!h) {
    h = { label, share: 0, inUse: 0, guaranteed: 0, inUseByType: new Map(), guaranteedByType: new Map(), caps: [], noBorrow: false };
    map.set(id, h);
  }
  return h;
}

function bump(map: Map<string, number>, key: string, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}
