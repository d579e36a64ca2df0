/**
 * Fair Tree fair share, as Slurm's `fair_tree` plugin computes it (DESIGN §5.1).
 *
 * At each level, siblings are ranked by their level fair share
 *   levelFs = (shares / Σ sibling shares) ÷ (usage / Σ sibling usage)
 * (zero shares → 0, ranks last; zero usage with shares → +∞, ranks first). The ranked tree is walked depth
 * first and every leaf (user association) met gets the next rank, counting down from the number of leaves;
 * the fair-share factor is rank ÷ leaves, in (0, 1]. So a user of an institution that is under-served ranks
 * above every user of an over-served one, whatever their own usage.
 *
 * Ties (Slurm's rules): sibling leaves with equal levelFs share a rank (the next distinct value skips the
 * ranks they used, competition style); sibling accounts with equal levelFs have their children merged and
 * ranked together, each child keeping the levelFs it has among its own siblings. Within a tie, leaves are
 * visited before accounts, and ids order the walk so the result never depends on input order.
 *
 * Interior nodes get the best factor in their subtree: the factor Slurm would give a new user with no usage
 * there. A job whose user leaf is absent falls back to its project's node, then its institution's (see
 * `jobFairShare`).
 */
import type { AccountNode } from './types.js';
import { userAccountId } from './types.js';

/** The outcome of one Fair Tree pass. */
export interface FairTree {
  /** Fair-share factor in (0, 1] per account id (leaves by rank; interior nodes: best in subtree). */
  factor: Map<string, number>;
  /** Level fair share of each node among its siblings (∞ for zero usage). */
  levelFs: Map<string, number>;
  /** Number of leaves ranked. */
  leafCount: number;
}

interface Ranked {
  node: AccountNode;
  fs: number;
}

/** Rank every leaf of `root` by Fair Tree; `usage` holds decayed GPU-seconds per leaf id. */
export function computeFairTree(input: AccountNode, usage: Readonly<Record<string, number>>): FairTree {
  const root = canonical(input);
  const subtreeUsage = new Map<AccountNode, number>();
  const leafCount = sumUsage(root, usage, subtreeUsage);
  const tree: FairTree = { factor: new Map(), levelFs: new Map(), leafCount };
  const counter = { next: leafCount };
  if (root.children && root.children.length > 0) {
    walk([root.children], subtreeUsage, tree, counter);
  } else {
    tree.factor.set(root.id, 1);
  }
  bestInSubtree(root, tree.factor);
  return tree;
}

/** A copy with children sorted by id, so sums (and so ties) never depend on the input's sibling order. */
function canonical(node: AccountNode): AccountNode {
  if (!node.children || node.children.length === 0) return node;
  const children = node.children.map(canonical).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { id: node.id, shares: node.shares, children };
}

/** Subtree usage of every node (leaves from `usage`, parents as sums); returns the number of leaves. */
function sumUsage(node: AccountNode, usage: Readonly<Record<string, number>>, out: Map<AccountNode, number>): number {
  const kids = node.children;
  if (!kids || kids.length === 0) {
    const u = usage[node.id];
    out.set(node, u !== undefined && u > 0 ? u : 0);
    return 1;
  }
  let leaves = 0;
  let total = 0;
  for (const c of kids) {
    leaves += sumUsage(c, usage, out);
    total += out.get(c)!;
  }
  out.set(node, total);
  return leaves;
}

/** Rank the merged sibling sets `sets`, then descend: leaves take ranks, tied accounts merge. */
function walk(sets: AccountNode[][], usage: Map<AccountNode, number>, tree: FairTree, counter: { next: number }): void {
  const items: Ranked[] = [];
  for (const siblings of sets) {
    let shareSum = 0;
    let usageSum = 0;
    for (const s of siblings) {
      shareSum += Math.max(0, s.shares);
      usageSum += usage.get(s)!;
    }
    for (const s of siblings) {
      const fs = levelFairShare(Math.max(0, s.shares), shareSum, usage.get(s)!, usageSum);
      tree.levelFs.set(s.id, fs);
      items.push({ node: s, fs });
    }
  }
  items.sort(byLevelFs);
  let i = 0;
  while (i < items.length) {
    let j = i;
    while (j < items.length && items[j]!.fs === items[i]!.fs) j++;
    const rank = counter.next;
    const merged: AccountNode[][] = [];
    for (let k = i; k < j; k++) {
      const n = items[k]!.node;
      if (isLeaf(n)) {
        tree.factor.set(n.id, rank / tree.leafCount);
        counter.next--;
      } else {
        merged.push(n.children!);
      }
    }
    if (merged.length > 0) walk(merged, usage, tree, counter);
    i = j;
  }
}

/** Slurm's level fair share: normalised shares over normalised usage. */
export function levelFairShare(shares: number, shareSum: number, usage: number, usageSum: number): number {
  const sharesNorm = shareSum > 0 ? shares / shareSum : 0;
  if (sharesNorm <= 0) return 0;
  const usageNorm = usageSum > 0 ? usage / usageSum : 0;
  return usageNorm > 0 ? sharesNorm / usageNorm : Number.POSITIVE_INFINITY;
}

/** Higher level fair share first; within a tie leaves before accounts, then by id. */
function byLevelFs(a: Ranked, b: Ranked): number {
  if (a.fs !== b.fs) return a.fs > b.fs ? -1 : 1;
  const la = isLeaf(a.node);
  const lb = isLeaf(b.node);
  if (la !== lb) return la ? -1 : 1;
  return a.node.id < b.node.id ? -1 : a.node.id > b.node.id ? 1 : 0;
}

function isLeaf(n: AccountNode): boolean {
  return !n.children || n.children.length === 0;
}

/** Give each interior node the best factor among its leaves; returns the node's factor. */
function bestInSubtree(node: AccountNode, factor: Map<string, number>): number {
  if (isLeaf(node)) return factor.get(node.id) ?? 0;
  let best = 0;
  for (const c of node.children!) best = Math.max(best, bestInSubtree(c, factor));
  factor.set(node.id, best);
  return best;
}

/**
 * The factor of a job: its user leaf (`userAccountId(project, user)`), else its project's node, else its
 * institution's node — the factor a new user with no usage there would get — else the lowest rank.
 */
export function jobFairShare(tree: FairTree, institutionId: string, projectId: string, userId: string): number {
  return tree.factor.get(userAccountId(projectId, userId))
    ?? tree.factor.get(projectId)
    ?? tree.factor.get(institutionId)
    ?? (tree.leafCount > 0 ? 1 / tree.leafCount : 1);
}
