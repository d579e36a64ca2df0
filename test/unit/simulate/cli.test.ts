import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerSimulate, runSimulateCommand } from '../../../src/cli/commands/simulate.js';

const fixtures = new URL('../../fixtures/', import.meta.url);
const grid = `name: lab
pools: [{ id: p, gpuType: h100, nodes: 4, gpusPerNode: 8 }]
institutions: [{ id: alpha, shares: 3 }, { id: beta, shares: 1 }]
`;

function io() {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (t: string) => ((out += t), true) }, stderr: { isTTY: false, write: (t: string) => ((err += t), true) }, clock: () => 0 },
    out: () => out,
    err: () => err,
  };
}

describe('ncg simulate', () => {
  it('registers on a commander program with its options', () => {
    const program = new Command('ncg');
    registerSimulate(program);
    const cmd = program.commands.find((c) => c.name() === 'simulate')!;
    const flags = cmd.options.map((o) => o.long);
    for (const f of ['--workload', '--grid', '--policy', '--compare', '--out', '--html', '--seed', '--lenient', '--limit']) expect(flags).toContain(f);
  });

  it('runs a CSV workload, compares policies, writes JSON and self-contained HTML, prints a summary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ncg-sim-'));
    writeFileSync(join(dir, 'grid.yaml'), grid);
    writeFileSync(join(dir, 'short.yaml'), 'name: short-memory\nhalfLifeDays: 0.1\n');
    const t = io();
    runSimulateCommand({
      workload: new URL('small.csv', fixtures).pathname, grid: join(dir, 'grid.yaml'), policy: 'default',
      compare: ['fifo', join(dir, 'short.yaml')], out: join(dir, 'r.json'), html: join(dir, 'r.html'),
    }, t.io);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(report.runs.map((r: { policy: { name: string } }) => r.policy.name)).toEqual(['default', 'fifo', 'short-memory']);
    expect(report.timing).toBeUndefined();
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('How to read this');
    expect(html).not.toMatch(/<script|<link|(src|href)="https?:/);
    expect(t.out()).toMatch(/30 jobs from small\.csv/);
    expect(t.out()).toMatch(/wait p90/);
    expect(t.err()).toBe(''); // no progress bar when stderr is not a TTY
  });

  it('reads SWF with --limit and reports skipped records; --timing adds wall-clock figures', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ncg-sim-'));
    writeFileSync(join(dir, 'grid.yaml'), grid);
    const t = io();
    runSimulateCommand({ workload: new URL('small.swf', fixtures).pathname, grid: join(dir, 'grid.yaml'), policy: 'fifo', limit: 20, timing: true, out: join(dir, 'r.json') }, t.io);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(report.workload.jobs).toBe(20);
    expect(report.workload.skipped).toEqual({ 'never ran (run time <= 0 or unknown)': 2 });
    expect(report.timing).toHaveLength(1);
    expect(t.out()).toMatch(/records skipped by rule: 2/);
  });

  it('fails with a message naming the problem', () => {
    const t = io();
    expect(() => runSimulateCommand({ workload: 'x.csv', grid: 'national', policy: 'lifo' }, t.io)).toThrow(/unknown policy "lifo"/);
    expect(() => runSimulateCommand({ workload: '/nonexistent.csv', grid: 'national', policy: 'fifo' }, t.io)).toThrow(/cannot read/);
  });
});

describe('example files', () => {
  it('run together: example grid, synthetic workload and policy', () => {
    const t = io();
    const dir = mkdtempSync(join(tmpdir(), 'ncg-sim-'));
    const ex = (name: string): string => new URL(`simulate/${name}`, fixtures).pathname;
    runSimulateCommand({ workload: ex('bursty.yaml'), grid: ex('lab-grid.yaml'), policy: ex('short-memory.yaml'), compare: ['default'], out: join(dir, 'r.json') }, t.io);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(report.runs[0].policy).toMatchObject({ name: 'short-memory', halfLifeSeconds: 86400, budgets: 'grid', cycleIntervalSeconds: 60 });
    expect(report.workload.jobs).toBeGreaterThan(100); // the base process plus the burst
  });
});
