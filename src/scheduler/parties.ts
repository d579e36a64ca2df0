/**
 * Parties: one record per institution and per project, holding everything the cycle counts against them —
 * budget accounts, GPUs in use, guaranteed (not borrowed) GPUs, concurrent caps, borrowing rights. Each
 * pending job is resolved to its two parties once, in the snapshot's order, so the hot loop over the queue
 * (in priority order) reads a handful of small, cache-resident records instead of maps keyed by strings.
 */
import type { AccountNode, BudgetState } from './types.js';

/** A budget and what this cycle has committed against it. */
export interface BudgetAccount {
  state: BudgetState;
  /** GPU-seconds promised to running jobs and this cycle's admissions. */
  committed: number;
}

/** An institution or a project during a cycle. */
export interface Party {
  /** Position in PartyIndex.list (for compact job records). */
  index: number;
  id: string;
  /** "institution x" / "project y", for messages. */
  label: string;
  /** Institutions: fraction of the root's shares (0 when absent from the tree). */
  share: number;
  inUse: number;
  guaranteed: number;
  inUseByType: Map<string, number>;
  guaranteedByType: Map<string, number>;
  caps: number[];
  noBorrow: boolean;
  budgets: BudgetAccount[];
  /** The first pass met a job of this institution that would borrow: its later jobs wait too (tiers.ts). */
  tierClosed: boolean;
  /** Scratch of one reclaim search (reclaim.ts): GPUs tentatively freed, valid while the stamp matches. */
  reclaimStamp: number;
  reclaimFreed: number;
  /** The "may not borrow" sentence, built once (reasons.ts). */
  noBorrowText?: string;
}

/** All parties of a cycle, created on first mention. */
export class PartyIndex {
  /** Every party, by `index`. */
  readonly list: Party[] = [];
  private readonly institutions = new Map<string, Party>();
  private readonly projects = new Map<string, Party>();

  constructor(accounts: AccountNode, budgets: readonly BudgetState[]) {
    // Canonical order everywhere (sums, first refusal) so decisions never depend on input order.
    const children = [...(accounts.children ?? [])].sort((a, b) => cmp(a.id, b.id));
    let sum = 0;
    for (const c of children) sum += Math.max(0, c.shares);
    for (const c of children) this.institution(c.id).share = sum > 0 ? Math.max(0, c.shares) / sum : 0;
    for (const b of [...budgets].sort((x, y) => cmp(budgetKey(x), budgetKey(y)))) {
      const p = b.projectId === undefined ? this.institution(b.institutionId) : this.project(b.projectId);
      p.budgets.push({ state: b, committed: 0 });
      if (!b.mayBorrow) p.noBorrow = true;
      if (b.maxConcurrentGpus !== undefined) p.caps.push(b.maxConcurrentGpus);
    }
  }

  /** The institution's party. */
  institution(id: string): Party {
    return this.getOrMake(this.institutions, id, 'institution');
  }

  /** The project's party. */
  project(id: string): Party {
    return this.getOrMake(this.projects, id, 'project');
  }

  private getOrMake(map: Map<string, Party>, id: string, kind: string): Party {
    let p = map.get(id);
    if (!p) {
      p = {
        index: this.list.length, id, label: `${kind} ${id}`, share: 0, inUse: 0, guaranteed: 0, inUseByType: new Map(),
        guaranteedByType: new Map(), caps: [], noBorrow: false, budgets: [], tierClosed: false, reclaimStamp: 0, reclaimFreed: 0,
      };
      map.set(id, p);
      this.list.push(p);
    }
    return p;
  }
}

function budgetKey(b: BudgetState): string {
  return [b.institutionId, b.projectId ?? '', b.kind, b.limitGpuSeconds, b.spentGpuSeconds, b.gracePct, b.maxConcurrentGpus ?? '', b.mayBorrow].join('\u0000');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Add `by` to `map[key]`. */
export function bump(map: Map<string, number>, key: string, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}
