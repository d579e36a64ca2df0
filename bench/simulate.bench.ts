/**
 * Simulator benchmark (issue 9): replay 100,000 synthetic jobs on a 2,000-GPU grid through the real
 * scheduling core under the default policy; target ≤ 60 s on the 2-core development machine.
 *
 *   npm run bench:simulate                      human-readable
 *   npm run bench:simulate -- --json            one line {"jobs":…,"seconds":…,"jobsPerSec":…,…}
 *   npm run bench:simulate -- --jobs 20000 --policy fifo --cycle-interval 0
 *
 * Cycles are coalesced to at most one per 60 simulated seconds by default (`--cycle-interval`): a cycle of
 * the core costs milliseconds on a 2,000-GPU snapshot, and one per event instant (about 200,000 here)
 * would not fit the budget; see bench/README.md for the numbers with and without.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadGrid } from '../src/simulate/grid-loader.js';
import { namedPolicy } from '../src/simulate/policy-loader.js';
import { runSimulation } from '../src/simulate/run-simulation.js';
import { parseWorkloadText } from '../src/simulate/workload-loader.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const json = args.includes('--json');
const jobs = Number(flag('--jobs', '100000'));
const policyName = flag('--policy', 'default');
const interval = Number(flag('--cycle-interval', '60'));

const dir = new URL('./simulate/', import.meta.url);
const grid = loadGrid({ text: readFileSync(new URL('grid-2000.yaml', dir), 'utf8'), fileName: 'grid-2000.yaml' });
const workload = parseWorkloadText(readFileSync(new URL('workload-100k.yaml', dir), 'utf8'), 'workload-100k.yaml', grid, { limit: jobs });
const policy = { ...namedPolicy(policyName), cycleIntervalSeconds: interval };

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const { report } = runSimulation({ source: 'workload-100k.yaml', workload, grid, policies: [policy] });
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const run = report.runs[0]!;
const result = {
  jobs: run.summary.jobs,
  seconds: Math.round(seconds * 100) / 100,
  jobsPerSec: Math.round(run.summary.jobs / seconds),
  cpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100,
  gpus: report.grid.gpus,
  policy: policyName,
  cycleIntervalSeconds: interval,
  cycles: run.summary.cycles,
  utilisation: run.summary.utilisation,
  waitP90Seconds: run.summary.waitSeconds.p90,
  preemptions: run.summary.preemptions,
};
if (json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  process.stdout.write(`simulated ${result.jobs} jobs on ${result.gpus} GPUs (${policyName}, cycles ≤ 1 per ${interval} s) in ${result.seconds} s wall, ${result.cpuSeconds} s CPU: ${result.jobsPerSec} jobs/s\n`);
  process.stdout.write(`  ${result.cycles} cycles; utilisation ${result.utilisation}; wait p90 ${result.waitP90Seconds} s; ${result.preemptions} preemptions\n`);
  process.stdout.write(`  target: 100,000 jobs in <= 60 s (issue 9) — ${result.jobs >= 100000 ? (seconds <= 60 ? 'met' : 'NOT met') : 'partial run'}\n`);
}
