import { describe, expect, it } from 'vitest';
import { loadGrid } from '../../../src/simulate/grid-loader.js';
import { namedPolicy } from '../../../src/simulate/policy-loader.js';
import { reportHtml } from '../../../src/simulate/report-html.js';
import { reportJson } from '../../../src/simulate/report.js';
import { runSimulation } from '../../../src/simulate/run-simulation.js';
import { parseWorkloadText } from '../../../src/simulate/workload-loader.js';

const gridYaml = `
name: det
pools:
  - { id: a, gpuType: h100, nodes: 4, gpusPerNode: 8 }
  - { id: b, gpuType: a100, nodes: 4, gpusPerNode: 4 }
institutions: [{ id: x, shares: 2 }, { id: y, shares: 1 }, { id: z, shares: 1 }]
`;
const synthetic = `
jobs: 150
arrival: { process: poisson, ratePerHour: 60 }
duration: { distribution: lognormal, medianSeconds: 900, sigma: 1 }
walltimeFactor: 1.5
gpus: [{ gpus: 1, weight: 5 }, { gpus: 4, weight: 3 }, { gpus: 8, weight: 2 }, { gpus: 16, weight: 1 }]
gpuTypes: [{ type: any, weight: 3 }, { type: h100, weight: 1 }]
bursts: [{ atHours: 1, durationHours: 0.5, ratePerHour: 120, institution: z }]
`;

function run(seed: number): { json: string; html: string } {
  const grid = loadGrid({ text: gridYaml, fileName: 'grid.yaml' });
  const workload = parseWorkloadText(synthetic, 'w.yaml', grid, { seed });
  const { report } = runSimulation({ source: 'w.yaml', workload, grid, policies: [namedPolicy('default'), namedPolicy('fifo')] }, { clock: () => Math.random() * 1000 });
  return { json: reportJson(report), html: reportHtml(report) };
}

describe('determinism', () => {
  it('gives the same JSON and HTML report byte for byte for the same seed', () => {
    const a = run(7);
    const b = run(7);
    expect(a.json).toBe(b.json);
    expect(a.html).toBe(b.html);
    expect(a.json).not.toMatch(/jobsPerSec|wallSeconds/);
  });

  it('gives a different workload (and report) for another seed', () => {
    expect(run(8).json).not.toBe(run(7).json);
  });
});
