/**
 * Invariants of a cycle over random snapshots (DESIGN §5, issue 3), ≥ 200 cases each.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runCycle } from '../../../src/scheduler/cycle.js';
import type { CycleDecisions, PendingJob, SchedulerSnapshot } from '../../../src/scheduler/types.js';
import { snapshotArb } from '../../helpers/scheduler-arbitraries.js';

const RUNS = { numRuns: 250 };
const gpusOf = (j: { nodes: number; gpusPerNode: number }): number => j.nodes * j.gpusPerNode;

function jobsById(s: SchedulerSnapshot): Map<string, PendingJob> {
  return new Map(s.pending.map((j) => [j.id, j]));
}

/** Institutions' nominal GPUs and current use, computed independently of the core. */
function nominalAndUse(s: SchedulerSnapshot): { nominal: (inst: string, type: string) => number; use: Map<string, number> } {
  const kids = s.accounts.children ?? [];
  const sum = kids.reduce((a, k) => a + Math.max(0, k.shares), 0);
  const share = new Map(kids.map((k) => [k.id, sum > 0 ? Math.max(0, k.shares) / sum : 0]));
  const cap = new Map<string, number>();
  let total = 0;
  for (const p of s.pools) {
    if (!p.clusterAvailable) continue;
    const g = p.nodes.filter((n) => n.healthy).reduce((a, n) => a + n.totalGpus, 0);
    total += g;
    cap.set(p.gpuType, (cap.get(p.gpuType) ?? 0) + g);
  }
  const byType = s.policy.nominalShareBy === 'gpuType';
  const use = new Map<string, number>();
  for (const r of s.running) {
    const key = byType ? `${r.institutionId}/${r.gpuType}` : r.institutionId;
    use.set(key, (use.get(key) ?? 0) + gpusOf(r));
  }
  return { nominal: (inst, type) => (share.get(inst) ?? 0) * (byType ? cap.get(type) ?? 0 : total), use };
}

/** A seeded Fisher–Yates shuffle (tests may be random; the core may not). */
function shuffle<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let x = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    const k = x % (i + 1);
    [out[i], out[k]] = [out[k]!, out[i]!];
  }
  return out;
}

function shuffled(s: SchedulerSnapshot, seed: number): SchedulerSnapshot {
  const tree = (n: SchedulerSnapshot['accounts'], k: number): SchedulerSnapshot['accounts'] =>
    n.children ? { ...n, children: shuffle(n.children, seed + k).map((c, i) => tree(c, k * 7 + i)) } : n;
  return {
    ...s,
    accounts: tree(s.accounts, 1),
    usage: Object.fromEntries(shuffle(Object.entries(s.usage), seed + 2)),
    budgets: shuffle(s.budgets, seed + 3),
    pools: shuffle(s.pools, seed + 4).map((p, i) => ({ ...p, nodes: shuffle(p.nodes, seed + 5 + i) })),
    running: shuffle(s.running, seed + 6),
    pending: shuffle(s.pending, seed + 7),
  };
}

describe('cycle invariants over random snapshots', () => {
  it('never over-allocates a node or pool; places only on healthy nodes of available, matching pools', () => {
    fc.assert(fc.property(snapshotArb, (s) => {
      const d = runCycle(s);
      const jobs = jobsById(s);
      const free = new Map<string, number>();
      for (const p of s.pools) for (const n of p.nodes) free.set(`${p.clusterId}/${p.poolId}/${n.name}`, n.freeGpus);
      for (const x of d.dispatch) {
        const j = jobs.get(x.jobId)!;
        const p = s.pools.find((q) => q.clusterId === x.clusterId && q.poolId === x.poolId)!;
        expect(p.clusterAvailable).toBe(true);
        expect(j.gpuTypes.includes('any') || j.gpuTypes.includes(p.gpuType)).toBe(true);
        for (const name of x.nodeNames) {
          expect(p.nodes.find((n) => n.name === name)!.healthy).toBe(true);
          const key = `${x.clusterId}/${x.poolId}/${name}`;
          free.set(key, free.get(key)! - j.gpusPerNode);
        }
      }
      for (const v of free.values()) expect(v).toBeGreaterThanOrEqual(0);
    }), RUNS);
  });

  it('places a gang all or nothing: exactly its node count, distinct nodes', () => {
    fc.assert(fc.property(snapshotArb, (s) => {
      const d = runCycle(s);
      const jobs = jobsById(s);
      for (const x of d.dispatch) {
        expect(x.nodeNames).toHaveLength(jobs.get(x.jobId)!.nodes);
        expect(new Set(x.nodeNames).size).toBe(x.nodeNames.length);
      }
    }), RUNS);
  });

  it("never overspends a hard budget (nor a soft one's grace, for non-preemptible work) by the cycle's admissions", () => {
    fc.assert(fc.property(snapshotArb, (s) => {
      const d = runCycle(s);
      const jobs = jobsById(s);
      for (const b of s.budgets) {
        const covers = (j: { institutionId: string; projectId: string }): boolean =>
          j.institutionId === b.institutionId && (b.projectId === undefined || j.projectId === b.projectId);
        const committed = s.running.filter(covers).reduce((a, r) => a + gpusOf(r) * Math.max(0, (r.startedAt + r.walltimeSeconds * 1000 - s.now) / 1000), 0);
        const admitted = d.dispatch.map((x) => jobs.get(x.jobId)!).filter(covers);
        const ceiling = b.kind === 'hard' ? b.limitGpuSeconds : b.limitGpuSeconds * (1 + b.gracePct / 100);
        const counted = admitted.filter((j) => b.kind === 'hard' || j.qos !== 'preemptible');
        const spent = counted.reduce((a, j) => a + gpusOf(j) * j.walltimeSeconds, 0);
        if (spent > 0) expect(spent).toBeLessThanOrEqual(Math.max(0, ceiling - b.spentGpuSeconds - committed) + 1e-6);
      }
    }), RUNS);
  });

  it('never preempts a job inside its institution’s nominal share, nor for its own institution', () => {
    fc.assert(fc.property(snapshotArb, (s) => {
      const d = runCycle(s);
      const jobs = jobsById(s);
      const { nominal, use } = nominalAndUse(s);
      const byType = s.policy.nominalShareBy === 'gpuType';
      const key = (inst: string, type: string): string => (byType ? `${inst}/${type}` : inst);
      // Use at decision time includes this cycle's admissions and reclaim holds (they count against the
      // share too). A hold's GPU type is not in the decisions: per type, such institutions are not checked.
      for (const x of d.dispatch) {
        const k = key(jobs.get(x.jobId)!.institutionId, x.gpuType);
        use.set(k, (use.get(k) ?? 0) + gpusOf(jobs.get(x.jobId)!));
      }
      const holders = new Set<string>();
      for (const id of new Set(d.preempt.map((x) => x.forJobId))) {
        const j = jobs.get(id)!;
        holders.add(j.institutionId);
        if (!byType) use.set(j.institutionId, (use.get(j.institutionId) ?? 0) + gpusOf(j));
      }
      const taken = new Map<string, number>();
      for (const x of d.preempt) {
        const r = s.running.find((q) => q.id === x.jobId)!;
        expect(r.borrowed || r.qos === 'preemptible').toBe(true);
        expect(jobs.get(x.forJobId)!.institutionId).not.toBe(r.institutionId);
        if (r.qos === 'preemptible' || (byType && holders.has(r.institutionId))) continue;
        const k = key(r.institutionId, r.gpuType);
        const left = (use.get(k) ?? 0) - (taken.get(k) ?? 0) - gpusOf(r);
        expect(left).toBeGreaterThanOrEqual(nominal(r.institutionId, r.gpuType) - 1e-9);
        taken.set(k, (taken.get(k) ?? 0) + gpusOf(r));
      }
      expect(new Set(d.preempt.map((x) => x.jobId)).size).toBe(d.preempt.length);
    }), { numRuns: 500 }); // preemptions are rarer than the other events: look at more cases
  });

  it('gives every pending job not dispatched exactly one verdict', () => {
    fc.assert(fc.property(snapshotArb, (s) => {
      const d = runCycle(s);
      const dispatched = d.dispatch.map((x) => x.jobId);
      const judged = d.pending.map((v) => v.jobId);
      expect(new Set([...dispatched, ...judged]).size).toBe(dispatched.length + judged.length);
      expect([...dispatched, ...judged].sort()).toEqual(s.pending.map((j) => j.id).sort());
      expect([...d.priorities.jobIds].sort()).toEqual(s.pending.map((j) => j.id).sort());
      for (const v of d.pending) expect(d.priorities.at(v.position - 1).jobId).toBe(v.jobId);
    }), RUNS);
  });

  it('is deterministic: the same snapshot, in any array order, gives the same decisions', () => {
    fc.assert(fc.property(snapshotArb, fc.integer({ min: 1, max: 2 ** 30 }), (s, seed) => {
      // Breakdowns compared as their entries (their internal index arrays follow the snapshot's order).
      const plain = (x: CycleDecisions) => ({ ...x, priorities: x.priorities.toArray() });
      const d = plain(runCycle(s));
      expect(plain(runCycle(s))).toEqual(d);
      expect(plain(runCycle(shuffled(s, seed)))).toEqual(d);
    }), RUNS);
  });

  it('keeps every reservation whole: walltimes of running and started work never overlap it beyond capacity', () => {
    fc.assert(fc.property(snapshotArb, (s) => {
      const d: CycleDecisions = runCycle(s);
      if (d.preempt.length > 0) return; // beneficiaries' nodes are not in the decisions; reclaim has its own tests
      const jobs = jobsById(s);
      type Use = { from: number; to: number; gpus: number };
      const uses = new Map<string, Use[]>();
      const add = (c: string, p: string, n: string, u: Use): void => {
        const k = `${c}/${p}/${n}`;
        uses.set(k, [...(uses.get(k) ?? []), u]);
      };
      for (const p of s.pools) {
        for (const n of p.nodes) {
          const known = s.running.filter((r) => r.clusterId === p.clusterId && r.poolId === p.poolId && r.nodeNames.includes(n.name));
          const unknown = n.totalGpus - n.freeGpus - known.reduce((a, r) => a + r.gpusPerNode, 0);
          add(p.clusterId, p.poolId, n.name, { from: s.now, to: Infinity, gpus: unknown });
          for (const r of known) add(p.clusterId, p.poolId, n.name, { from: s.now, to: Math.max(s.now, r.startedAt + r.walltimeSeconds * 1000), gpus: r.gpusPerNode });
        }
      }
      for (const x of d.dispatch) {
        const j = jobs.get(x.jobId)!;
        for (const n of x.nodeNames) add(x.clusterId, x.poolId, n, { from: s.now, to: s.now + j.walltimeSeconds * 1000, gpus: j.gpusPerNode });
      }
      for (const r of d.reservations) {
        const j = jobs.get(r.jobId)!;
        for (const n of r.nodeNames!) add(r.clusterId, r.poolId, n, { from: r.startAt, to: r.startAt + j.walltimeSeconds * 1000, gpus: j.gpusPerNode });
      }
      for (const [key, list] of uses) {
        const [c, p, n] = key.split('/');
        const total = s.pools.find((q) => q.clusterId === c && q.poolId === p)!.nodes.find((x) => x.name === n)!.totalGpus;
        for (const at of list.map((u) => u.from)) {
          const busy = list.filter((u) => u.from <= at && at < u.to).reduce((a, u) => a + u.gpus, 0);
          expect(busy).toBeLessThanOrEqual(total);
        }
      }
    }), RUNS);
  });
});
