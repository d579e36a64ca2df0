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
import { bump, type Party } from './parties.js';
import type { SchedulerPolicy } from './types.js';

/** Nominal shares and the use counted against them, during one cycle. */
export class ShareBook {
  /** Shares per GPU type? Then borrowing is decided per pool type. */
  readonly perType: boolean;

  constructor(private readonly policy: SchedulerPolicy, private readonly capacity: { total: number; byType: Map<string, number> }) {
    this.perType = policy.nominalShareBy === 'gpuType';
  }

  /** Nominal GPUs of an institution (in `gpuType` when shares are per type). */
  nominal(inst: Party, gpuType?: string): number {
    if (this.perType && gpuType !== undefined) return inst.share * (this.capacity.byType.get(gpuType) ?? 0);
    return inst.share * this.capacity.total;
  }

  /** Would a job of `gpus` GPUs of `inst` on `gpuType` be borrowed? */
  wouldBorrow(inst: Party, gpus: number, preemptible: boolean, gpuType?: string): boolean {
    if (preemptible) return true;
    const guaranteed = this.perType && gpuType !== undefined ? inst.guaranteedByType.get(gpuType) ?? 0 : inst.guaranteed;
    return guaranteed + gpus > this.nominal(inst, gpuType);
  }

  /** Would a (non-preemptible) job of `gpus` borrow on every GPU type among `pools`? */
  wouldBorrowAnywhere(inst: Party, gpus: number, pools: readonly { gpuType: string }[]): boolean {
    if (!this.perType) return this.wouldBorrow(inst, gpus, false);
    for (const p of pools) if (!this.wouldBorrow(inst, gpus, false, p.gpuType)) return false;
    return true;
  }

  /** May a job of `inst` and `proj` run as borrowed? */
  mayBorrow(inst: Party, proj: Party, preemptible: boolean): boolean {
    if (preemptible) return true;
    return this.policy.borrowing && !inst.noBorrow && !proj.noBorrow;
  }

  /** Null when `gpus` more fit under every concurrent-GPU cap of `inst` and `proj`; else which one. */
  checkConcurrent(inst: Party, proj: Party, gpus: number): string | null {
    return overCap(inst, gpus) ?? overCap(proj, gpus);
  }

  /** Record an admission (or a reclaim hold, or a running job) of `gpus` on `gpuType`. */
  admit(inst: Party, proj: Party, gpus: number, gpuType: string, borrowed: boolean): void {
    inst.inUse += gpus;
    proj.inUse += gpus;
    bump(inst.inUseByType, gpuType, gpus);
    if (!borrowed) {
      inst.guaranteed += gpus;
      bump(inst.guaranteedByType, gpuType, gpus);
    }
  }

  /** Record a running job being preempted this cycle: its GPUs no longer count as its parties' use. */
  release(inst: Party, proj: Party, gpus: number, gpuType: string, borrowed: boolean): void {
    this.admit(inst, proj, -gpus, gpuType, borrowed);
  }

  /** GPUs the institution uses above its nominal share (all its GPUs, borrowed or not); ≤ 0 when within. */
  excess(inst: Party, gpuType: string): number {
    const used = this.perType ? inst.inUseByType.get(gpuType) ?? 0 : inst.inUse;
    return used - this.nominal(inst, gpuType);
  }
}

function overCap(p: Party, gpus: number): string | null {
  for (const max of p.caps) {
    if (p.inUse + gpus > max) return `${p.label} may hold ${max} GPUs at once; ${p.inUse} in use and the job needs ${gpus}`;
  }
  return null;
}
