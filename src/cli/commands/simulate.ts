/**
 * `ncg simulate`: the what-if simulator (issue 9). Replays an SWF/CSV trace or a synthetic workload through
 * the real scheduling core in simulated time, on the national grid or a grid file, under one policy and
 * any number of `--compare` policies, and writes a JSON and/or self-contained HTML report.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { InvalidArgumentError, type Command } from 'commander';
import { DomainError } from '../../domain/errors.js';
import { loadGrid } from '../../simulate/grid-loader.js';
import { NAMED_POLICIES, namedPolicy, parsePolicy, type SimPolicy } from '../../simulate/policy-loader.js';
import { createProgressBar, type BarStream } from '../../simulate/progress-bar.js';
import { reportHtml } from '../../simulate/report-html.js';
import { reportJson } from '../../simulate/report.js';
import { summaryRows } from '../../simulate/report-tables.js';
import { runSimulation } from '../../simulate/run-simulation.js';
import type { SimGrid } from '../../simulate/sim-grid.js';
import { loadWorkloadFile } from '../../simulate/workload-loader.js';

/** Parsed options of `ncg simulate`. */
export interface SimulateOptions {
  workload: string;
  grid: string;
  policy: string;
  compare?: string[];
  out?: string;
  html?: string;
  seed?: number;
  lenient?: boolean;
  limit?: number;
  timing?: boolean;
  timeScale?: number | 'auto';
  gpusPerProcessor?: number | 'auto';
  cycleInterval?: number;
}

/** Where the command writes (injectable for tests). */
export interface SimulateIo {
  stdout: { write(text: string): boolean };
  stderr: BarStream;
  clock: () => number;
}

/** Register `simulate` on the ncg program. */
export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('what-if simulation: replay a workload through the scheduling core and compare policies')
    .requiredOption('--workload <file>', 'workload: .swf (Standard Workload Format), .csv or synthetic .yaml (optionally .gz)')
    .option('--grid <grid>', 'grid YAML file, or "national" for the embedded national grid', 'national')
    .option('--policy <policy>', `policy YAML file, or one of ${Object.keys(NAMED_POLICIES).join(', ')}`, 'default')
    .option('--compare <policies...>', 'more policies to run on the same workload, side by side')
    .option('--out <file>', 'write the JSON report here')
    .option('--html <file>', 'write the self-contained HTML report here')
    .option('--seed <n>', 'seed of a synthetic workload', integer)
    .option('--lenient', 'skip malformed workload lines (and count them) instead of failing')
    .option('--limit <n>', 'use only the first N jobs of the workload', integer)
    .option('--timing', 'add wall-clock timing (jobs/sec) to the JSON and HTML reports (makes them non-reproducible)')
    .option('--time-scale <f>', 'multiply submit times by f (< 1 compresses the trace, raising the load), or auto (keep the trace\'s load on this grid)', positiveOrAuto)
    .option('--gpus-per-processor <n>', 'GPUs per trace processor, or auto (grid GPUs / trace MaxProcs); default: the grid file\'s, else 1', positiveOrAuto)
    .option('--cycle-interval <seconds>', 'at most one scheduling cycle per this many simulated seconds, for every policy (default: each policy\'s, 0 for the named ones = a cycle at every event instant)', nonNegative)
    .action((opts: SimulateOptions) => {
      runSimulateCommand(opts, { stdout: process.stdout, stderr: process.stderr, clock: () => performance.now() });
    });
}

/** The command's work: load, simulate, write reports, print a summary. */
export function runSimulateCommand(opts: SimulateOptions, io: SimulateIo): void {
  const grid = readGrid(opts.grid);
  if (opts.timeScale !== undefined) grid.mapping = { ...grid.mapping, timeScale: opts.timeScale };
  if (opts.gpusPerProcessor !== undefined) grid.mapping = { ...grid.mapping, gpusPerProcessor: opts.gpusPerProcessor };
  const policies = [opts.policy, ...(opts.compare ?? [])].map(readPolicy).map((p) => (opts.cycleInterval === undefined ? p : { ...p, cycleIntervalSeconds: opts.cycleInterval }));
  const names = new Set<string>();
  for (const p of policies) {
    if (names.has(p.name)) throw DomainError.invalid(`policy name ${JSON.stringify(p.name)} is used twice; give each compared policy its own name`);
    names.add(p.name);
  }
  const workload = loadWorkloadFile(opts.workload, grid, { lenient: opts.lenient, limit: opts.limit, seed: opts.seed });
  const bar = createProgressBar(io.stderr);
  const { report, timings } = runSimulation(
    { source: basename(opts.workload), workload, grid, policies },
    { clock: io.clock, onProgress: (policy, p) => bar.update(policy, p) },
  );
  bar.done();
  const timing = timings.map((t) => ({ seconds: round(t.seconds, 3), jobsPerSec: Math.round(t.jobsPerSec) }));
  if (opts.out) {
    const json = opts.timing ? { ...report, timing: timings.map((t, i) => ({ policy: t.policy, ...timing[i]! })) } : report;
    writeFileSync(opts.out, reportJson(json as typeof report));
  }
  if (opts.html) writeFileSync(opts.html, reportHtml(report, opts.timing ? timing : undefined));
  const w = report.workload;
  io.stdout.write(`ncg simulate: ${w.jobs} jobs from ${w.source} (${w.format}) on ${report.grid.name} (${report.grid.gpus} GPUs, ${report.grid.institutions} institutions)\n`);
  const skipped = Object.values(w.skipped).reduce((s, v) => s + v, 0);
  if (skipped > 0 || w.malformedLinesSkipped > 0) io.stdout.write(`  records skipped by rule: ${skipped} ${JSON.stringify(w.skipped)}; malformed lines skipped: ${w.malformedLinesSkipped}\n`);
  io.stdout.write(`${formatTable(['', ...report.runs.map((r) => r.policy.name)], summaryRows(report.runs, timing))}`);
  if (opts.out) io.stdout.write(`JSON report: ${opts.out}\n`);
  if (opts.html) io.stdout.write(`HTML report: ${opts.html}\n`);
}

function readGrid(arg: string): SimGrid {
  if (arg === 'national') return loadGrid({ name: 'national' });
  return loadGrid({ text: readText(arg, '--grid'), fileName: basename(arg) });
}

function readPolicy(arg: string): SimPolicy {
  if (NAMED_POLICIES[arg]) return namedPolicy(arg);
  if (!/\.ya?ml$/i.test(arg)) return namedPolicy(arg);
  return parsePolicy(readText(arg, '--policy'), basename(arg));
}

function readText(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw DomainError.invalid(`${flag} ${path}: cannot read: ${(e as Error).message}`);
  }
}

function formatTable(head: string[], rows: string[][]): string {
  const all = [head, ...rows];
  const widths = head.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  return all.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n') + '\n';
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (!(n >= 0)) throw new InvalidArgumentError('expected a number >= 0');
  return n;
}

function positiveOrAuto(value: string): number | 'auto' {
  if (value === 'auto') return 'auto';
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError('expected a positive number or auto');
  return n;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
