/**
 * Two institutions with equal shares contend for one 32-GPU pool: `big` submits nine jobs for every one of
 * `small`'s, at an offered load well above capacity for a while. FIFO serves them in submit order, so small's
 * jobs queue behind big's backlog; fair share ranks small's users first because small has used far less than
 * its half, so small's 90th-percentile wait must be lower under fair share than under FIFO.
 */
import { describe, expect, it } from 'vitest';
import { namedPolicy } from '../../../src/simulate/policy-loader.js';
import { runSimulation } from '../../../src/simulate/run-simulation.js';
import type { SimGrid } from '../../../src/simulate/sim-grid.js';
import { parseWorkloadText } from '../../../src/simulate/workload-loader.js';

const grid: SimGrid = {
  name: 'contention',
  pools: [{ clusterId: 'c', poolId: 'p', siteId: 's', gpuType: 'h100', nodes: 4, gpusPerNode: 8, available: true }],
  institutions: [{ id: 'big', name: 'big', shares: 1 }, { id: 'small', name: 'small', shares: 1 }],
  allocations: [],
  budgetPeriodSeconds: 86400,
  mapping: { institutionBy: 'group', institutionTable: {}, gpusPerProcessor: 1, timeScale: 1 },
};
const spec = `
jobs: 400
arrival: { process: poisson, ratePerHour: 40 }
duration: { distribution: exponential, meanSeconds: 1800, maxSeconds: 14400 }
gpus: [{ gpus: 1, weight: 4 }, { gpus: 4, weight: 2 }, { gpus: 8, weight: 1 }]
institutions: [{ id: big, weight: 9, users: 4 }, { id: small, weight: 1, users: 2 }]
`;

describe('two-institution contention', () => {
  it("fair share beats FIFO on the smaller institution's p90 wait", () => {
    const workload = parseWorkloadText(spec, 'contention.yaml', grid, { seed: 3 });
    const { report } = runSimulation({ source: 'contention.yaml', workload, grid, policies: [namedPolicy('default'), namedPolicy('fifo')] });
    const [fair, fifo] = report.runs;
    const p90 = (r: typeof fair, inst: string): number => r!.waitByInstitution.find((w) => w.key === inst)!.p90;
    expect(fifo!.summary.waitSeconds.p90).toBeGreaterThan(600); // the queue really is contended
    expect(p90(fair, 'small')).toBeLessThan(p90(fifo, 'small'));
    expect(p90(fair, 'small')).toBeLessThan(p90(fair, 'big'));
    expect(fair!.summary.unfinished + fifo!.summary.unfinished).toBe(0);
  });
});
