import { describe, expect, it } from 'vitest';
import { createProgressBar } from '../../../src/simulate/progress-bar.js';
import { Recorder } from '../../../src/simulate/recorder.js';
import { makeWindows, shareAttainment, utilisationSeries, windowWidthMs } from '../../../src/simulate/report-windows.js';
import { StepSeries } from '../../../src/simulate/step-series.js';
import type { SimJob } from '../../../src/simulate/workload-mapping.js';

const job = (index: number, institutionId: string, gpus: number): SimJob => ({
  index, id: `j${index}`, sourceId: `s${index}`, institutionId, projectId: `${institutionId}/sim`, userId: 'u', leafId: `${institutionId}/sim/u`,
  submitAt: 0, runSeconds: 1, walltimeSeconds: 1, nodes: 1, gpusPerNode: gpus, gpus, gpuTypes: ['any'],
});

describe('StepSeries', () => {
  it('integrates a step function over buckets and marks buckets where it was positive', () => {
    const s = new StepSeries();
    s.add(0, 2); // 2 on [0, 150)
    s.add(150, -2); // 0 on [150, 250)
    s.add(250, 4); // 4 from 250 on
    const { area, positive } = s.integrate(0, 100, 3);
    expect(Array.from(area)).toEqual([200, 100, 200]);
    expect(Array.from(positive)).toEqual([1, 1, 1]);
    expect(Array.from(s.integrate(150, 100, 1).positive)).toEqual([0]);
  });
});

describe('windows and attainment', () => {
  it('rounds the window to whole minutes, at least one', () => {
    expect(windowWidthMs(0)).toBe(60_000);
    expect(windowWidthMs(100 * 90_000)).toBe(120_000);
  });

  it('entitles by weighted max-min fairness within demand; a capped institution still scores 1', () => {
    // Window of 1000 ms, capacity 10 GPUs. x (shares 1) wants 2 GPUs all the time and gets them;
    // y (shares 1) wants 10 and gets 8. Fair split of the 10 GPU·window delivered: x capped at 2, y 8.
    const rec = new Recorder(2);
    const x = job(0, 'x', 2);
    const y = job(1, 'y', 10);
    rec.submit(x, 0);
    rec.submit(y, 0);
    rec.start(x, 0);
    rec.allocated.add(0, 8);
    rec.institutions.get('y')!.running.add(0, 8);
    const w = makeWindows(0, 1000, 1000);
    const { rows, jain } = shareAttainment(rec, w, new Map([['x', 1], ['y', 1]]));
    expect(rows.map((r) => r.attainment)).toEqual([1, 1]);
    expect(jain).toBe(1);
    expect(utilisationSeries(rec, w, 10)).toEqual([1]);
  });

  it('scores an institution that got less than its fair part below 1', () => {
    // Both want 10 GPUs, equal shares; x gets 8, y gets 2: entitled 5 each → attainment 1.6 and 0.4.
    const rec = new Recorder(2);
    rec.submit(job(0, 'x', 10), 0);
    rec.submit(job(1, 'y', 10), 0);
    rec.institutions.get('x')!.running.add(0, 8);
    rec.institutions.get('y')!.running.add(0, 2);
    const { rows, jain } = shareAttainment(rec, makeWindows(0, 1000, 1000), new Map([['x', 1], ['y', 1]]));
    expect(rows.map((r) => r.attainment)).toEqual([1.6, 0.4]);
    expect(jain).toBeCloseTo((2 * 2) / (2 * (1.6 ** 2 + 0.4 ** 2)), 12);
  });
});

describe('progress bar', () => {
  it('draws only on a TTY, with the policy, percentage, jobs and simulated date', () => {
    let text = '';
    const tty = createProgressBar({ isTTY: true, columns: 200, write: (t) => ((text += t), true) });
    tty.update('default', { now: Date.UTC(1998, 3, 24, 18, 0), done: 50, total: 200 });
    tty.done();
    expect(text).toContain('default [');
    expect(text).toContain(' 25%  50/200 jobs  sim 1998-04-24 18:00');
    let piped = '';
    const bar = createProgressBar({ isTTY: false, write: (t) => ((piped += t), true) });
    bar.update('default', { now: 0, done: 1, total: 2 });
    bar.done();
    expect(piped).toBe('');
  });
});
