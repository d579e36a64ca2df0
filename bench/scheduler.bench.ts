/**
 * Scheduler benchmark (issue 3): full cycles over the seeded S, M and L scenarios, plus the sort floor —
 * sorting L's 100,000 pending jobs by a numeric key with a comparator, the floor for a priority scheduler
 * that orders the whole queue. Results and where the thresholds come from: bench/README.md.
 *
 *   npm run bench:scheduler            human-readable table
 *   npm run bench:scheduler -- --json  one JSON object per scenario per line
 */
import { spawnSync } from 'node:child_process';
import { runCycle } from '../src/scheduler/cycle.js';
import type { SchedulerSnapshot } from '../src/scheduler/types.js';
import { buildScenario, SCENARIOS } from './scheduler-scenarios.js';

interface Result {
  scenario: string;
  /** Not printed in --json: median CPU time of this process per cycle (main and GC threads). */
  cpuMedianMs?: number;
  medianMs: number;
  p95Ms: number;
  decisionsPerSec: number;
  heapMB: number;
  sortFloorMs?: number;
}

const ITERATIONS: Record<string, number> = { S: 60, M: 30, L: 15 };
const json = process.argv.includes('--json');

/**
 * The young generation the control loop should run with (bench/README.md). A cycle's decisions are ~3
 * small objects per pending job — a verdict and a priority breakdown with its factors — all alive until
 * the cycle returns. V8 starts new space small and shrinks it after each full GC, so at L those 300,000
 * objects go through repeated scavenges on fresh pages; measured here, building the breakdowns alone took
 * ~80 ms that way and ~12 ms with a 64 MB new space from the start. The benchmark re-runs itself with these
 * flags (as NODE_OPTIONS cannot carry --min-semi-space-size); `--default-gc` measures V8's defaults.
 */
const GC_FLAGS = ['--min-semi-space-size=64', '--max-semi-space-size=64'];
const defaultGc = process.argv.includes('--default-gc');
if (!defaultGc && !process.execArgv.includes(GC_FLAGS[0]!)) {
  const child = spawnSync(process.execPath, [...GC_FLAGS, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Time `runs` full cycles. For L, a sort-floor sample is taken right after each cycle, so the two are
 * measured under the same machine conditions (a shared 2-core box is noisy) and their ratio is fair.
 */
function benchCycles(name: string, snapshot: SchedulerSnapshot, withSortFloor: boolean): Result {
  const runs = ITERATIONS[name] ?? 10;
  let peak = process.memoryUsage().heapUsed;
  let decisions = 0;
  for (let i = 0; i < 3; i++) runCycle(snapshot);
  const times: number[] = [];
  const cpu: number[] = [];
  const floor: number[] = [];
  const keyed = withSortFloor ? snapshot.pending.map((j, i) => ({ job: j, key: (i * 2_654_435_761) % 1_000_003 })) : [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const d = runCycle(snapshot);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    decisions = d.dispatch.length + d.preempt.length + d.reservations.length + d.pending.length;
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    if (withSortFloor) floor.push(sortOnce(keyed));
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  floor.sort((a, b) => a - b);
  const medianMs = quantile(times, 0.5);
  const result: Result = {
    scenario: name, medianMs: round(medianMs), p95Ms: round(quantile(times, 0.95)),
    decisionsPerSec: Math.round(decisions / (medianMs / 1000)), heapMB: round(peak / 2 ** 20, 1),
  };
  if (withSortFloor) result.sortFloorMs = round(quantile(floor, 0.5));
  Object.defineProperty(result, 'cpuMedianMs', { value: round(quantile(cpu, 0.5)), enumerable: false });
  return result;
}

/** One sample of the floor: sort a fresh copy of the pending job objects by a numeric key with a comparator. */
function sortOnce(keyed: { job: unknown; key: number }[]): number {
  const copy = keyed.slice();
  const t0 = performance.now();
  copy.sort((a, b) => a.key - b.key);
  return performance.now() - t0;
}

for (const spec of SCENARIOS) {
  const snapshot = buildScenario(spec);
  const result = benchCycles(spec.name, snapshot, spec.name === 'L');
  if (json) {
    console.log(JSON.stringify(result));
  } else {
    const d = runCycle(snapshot);
    console.log(
      `${spec.name}: ${spec.pending} pending, ${spec.running} running, ${spec.gpus} GPUs — median ${result.medianMs} ms, p95 ${result.p95Ms} ms, ` +
      `${result.decisionsPerSec} decisions/s, peak heap ${result.heapMB} MB, CPU ${result.cpuMedianMs} ms/cycle` +
      (result.sortFloorMs !== undefined ? `, sort floor ${result.sortFloorMs} ms (cycle = ${round(result.medianMs / result.sortFloorMs)} × floor)` : '') +
      ` | dispatch ${d.dispatch.length}, preempt ${d.preempt.length}, reservations ${d.reservations.length}`,
    );
  }
}
