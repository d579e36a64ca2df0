/**
 * The KPIs of one period for one grouping, following Open XDMoD's definitions:
 *   - GPU-hours delivered: the net ledger sum (charges + reversals) of rows whose window starts in the period;
 *   - utilisation = delivered ÷ available (compute-side groups only);
 *   - efficiency = busy ÷ delivered over the GPU-seconds with a DCGM utilisation, i.e. the
 *     utilisation-weighted mean of DCGM GPU utilisation; `efficiencyCoverage` says how much of delivered
 *     that covers;
 *   - jobs by final state (by the day they ended), waits (by the day they started);
 *   - active users / projects: distinct ones with GPU-seconds > 0; institutions served: distinct
 *     institutions with ≥ 1 GPU-hour (3,600 GPU-seconds) in the group.
 * Pure: rows in, numbers out.
 */
import { capacityKpis, poolsInPeriod, type CapacityKpis } from './capacity.js';
import { groupIndex, hasCapacity, type FactKeys } from './groups.js';
import { gpuHours, ratio } from './round.js';
import { FINAL_STATES, type FinalState, type Grouping, type KpiInput, type UsageRow } from './types.js';
import { waitKpis, waitKpisFromStats, type WaitKpis } from './waits.js';

/** GPU-seconds an institution must receive to count as served (1 GPU-hour). */
export const SERVED_THRESHOLD_GPU_SECONDS = 3_600;

/** The KPIs of one group. */
export interface KpiRow {
  key: string;
  label: string;
  /** Null for people-side groupings (institution, project, institution province). */
  capacity: CapacityKpis | null;
  gpuHoursDelivered: number;
  utilisation: number | null;
  efficiency: number | null;
  efficiencyCoverage: number | null;
  waits: WaitKpis;
  jobsByState: Record<FinalState, number>;
  activeUsers: number;
  activeProjects: number;
  institutionsServed: number;
}

/** KPIs of every group of `grouping`, and of the whole grid. */
export interface GroupedKpis {
  grouping: Grouping;
  national: KpiRow;
  groups: KpiRow[];
}

function bucket<T extends FactKeys>(rows: readonly T[], of: (r: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = of(r);
    if (k === undefined) continue;
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(r);
  }
  return out;
}

function distinctWith(usage: readonly UsageRow[], key: (r: UsageRow) => string, min: number): number {
  const sums = new Map<string, number>();
  for (const r of usage) sums.set(key(r), (sums.get(key(r)) ?? 0) + r.gpuSeconds);
  let n = 0;
  for (const v of sums.values()) if (v >= min && v > 0) n++;
  return n;
}

/** The KPI row of one group's facts. */
export function kpiRow(key: string, label: string, capacity: CapacityKpis | null, facts: { usage: readonly UsageRow[]; waits: KpiInput['waits']; jobEnds: KpiInput['jobEnds'] }, waits?: WaitKpis): KpiRow {
  const delivered = facts.usage.reduce((s, r) => s + r.gpuSeconds, 0);
  const eff = facts.usage.reduce((s, r) => s + r.effGpuSeconds, 0);
  const busy = facts.usage.reduce((s, r) => s + r.busyGpuSeconds, 0);
  const jobsByState = Object.fromEntries(FINAL_STATES.map((s) => [s, 0])) as Record<FinalState, number>;
  for (const r of facts.jobEnds) jobsByState[r.state] += r.jobs;
  return {
    key,
    label,
    capacity,
    gpuHoursDelivered: gpuHours(delivered),
    utilisation: capacity ? ratio(delivered / 3600, capacity.gpuHoursAvailable) : null,
    efficiency: ratio(busy, eff),
    efficiencyCoverage: ratio(eff, delivered),
    waits: waits ?? waitKpis(facts.waits),
    jobsByState,
    activeUsers: distinctWith(facts.usage, (r) => r.userId, Number.MIN_VALUE),
    activeProjects: distinctWith(facts.usage, (r) => r.projectId, Number.MIN_VALUE),
    institutionsServed: distinctWith(facts.usage, (r) => r.institutionId, SERVED_THRESHOLD_GPU_SECONDS),
  };
}

function statsOf(input: KpiInput, grouping: Grouping, key: string): WaitKpis | undefined {
  const rows = input.waitStats?.[grouping];
  return rows ? waitKpisFromStats(rows.filter((r) => r.group === key)) : undefined;
}

/** KPIs of `input` grouped by `grouping` (plus the national row). */
export function computeKpis(input: KpiInput, grouping: Grouping): GroupedKpis {
  const pools = poolsInPeriod(input);
  const national = kpiRow('national', 'National', capacityKpis(input, pools), input, statsOf(input, 'national', 'national'));
  if (grouping === 'national') return { grouping, national, groups: [] };
  const idx = groupIndex(input, grouping);
  const usage = bucket(input.usage, idx.ofFact);
  const waits = bucket(input.waits, idx.ofFact);
  const ends = bucket(input.jobEnds, idx.ofFact);
  const poolsBy = new Map<string, typeof pools>();
  for (const p of pools) {
    const k = idx.ofPool(p);
    if (k !== undefined) poolsBy.set(k, [...(poolsBy.get(k) ?? []), p]);
  }
  const keys = [...new Set([...idx.known, ...usage.keys(), ...waits.keys(), ...ends.keys()])].sort();
  const groups = keys.map((k) =>
    kpiRow(k, idx.label(k), hasCapacity(grouping) ? capacityKpis(input, poolsBy.get(k) ?? []) : null, {
      usage: usage.get(k) ?? [],
      waits: waits.get(k) ?? [],
      jobEnds: ends.get(k) ?? [],
    }, statsOf(input, grouping, k)),
  );
  return { grouping, national, groups };
}
