/** Window alignment and query templates: the geometry every meter and every re-run must agree on. */
import { describe, expect, it } from 'vitest';
import { alignDown, alignUp, windowsBetween } from '../../../src/metering/windows.js';
import { contiguousSpans, windowEndingAt } from '../../../src/metering/windows.js';
import { promqlString, renderTemplate, templateValues, unknownPlaceholders } from '../../../src/metering/templates.js';
import { SLURM_PROFILE } from '../../../src/metering/default-queries.js';
import { dueForRetry } from '../../../src/metering/scheduled-run.js';

const MIN = 60_000;

describe('windows', () => {
  it('aligns to multiples of the step since the epoch', () => {
    expect(alignDown(125_000, MIN)).toBe(120_000);
    expect(alignUp(125_000, MIN)).toBe(180_000);
    expect(alignUp(120_000, MIN)).toBe(120_000);
  });

  it('lists the aligned windows inside [alignDown(from), alignUp(to))', () => {
    expect(windowsBetween(61_000, 179_000, MIN)).toEqual([{ start: 60_000, end: 120_000 }, { start: 120_000, end: 180_000 }]);
    expect(windowsBetween(60_000, 60_000, MIN)).toEqual([]);
  });

  it('cuts runs of consecutive windows into spans of at most max', () => {
    const ws = [0, 1, 2, 4, 5, 6, 7].map((i) => ({ start: i * MIN, end: (i + 1) * MIN }));
    expect(contiguousSpans(ws, 3).map((s) => s.map((w) => w.start / MIN))).toEqual([[0, 1, 2], [4, 5, 6], [7]]);
  });

  it('maps a query_range timestamp to the window ending there', () => {
    expect(windowEndingAt(180, MIN)).toEqual({ start: 120_000, end: 180_000 });
  });
});

describe('templates', () => {
  const values = templateValues({ clusterLabel: 'ncg_cluster', clusterValue: 'lhr "a"', jobLabel: 'hpc_job', stepSeconds: 60, resolutionSeconds: 15, freshnessSeconds: 30 });

  it('fills every placeholder; the range stops 1 ms short of the window so a point belongs to one window', () => {
    expect(values).toEqual({ selector: 'ncg_cluster="lhr \\"a\\""', jobLabel: 'hpc_job', range: '59999ms', res: '15s', resSeconds: '15', fresh: '30' });
    const q = renderTemplate(SLURM_PROFILE.usage, values);
    expect(q).toBe('sum_over_time((count by (hpc_job) (timestamp(DCGM_FI_DEV_FB_USED{ncg_cluster="lhr \\"a\\"", hpc_job!=""}) > time() - 30))[59999ms:15s]) * 15');
    expect(q).not.toMatch(/increase\(/);
  });

  it('names unknown placeholders', () => {
    expect(unknownPlaceholders('up{$selector} $nope $range')).toEqual(['nope']);
    expect(() => renderTemplate('$nope', values)).toThrow(/unknown placeholder \$nope/);
  });

  it('escapes PromQL strings', () => {
    expect(promqlString('a\\b"c\nd')).toBe('"a\\\\b\\"c\\nd"');
  });
});

describe('pending windows are retried with a backoff', () => {
  const w = (attempts: number, lastTriedAt: number) => ({ clusterId: 'c', start: 0, end: MIN, attempts, firstTriedAt: 0, lastTriedAt });
  it('every pass for three attempts, then after 1, 2, 4 … steps, at most an hour apart', () => {
    const now = 10 * 3_600_000;
    expect(dueForRetry(w(3, now), now, MIN)).toBe(true);
    expect(dueForRetry(w(4, now - MIN + 1), now, MIN)).toBe(false);
    expect(dueForRetry(w(4, now - MIN), now, MIN)).toBe(true);
    expect(dueForRetry(w(6, now - 3 * MIN), now, MIN)).toBe(false);
    expect(dueForRetry(w(6, now - 4 * MIN), now, MIN)).toBe(true);
    expect(dueForRetry(w(40, now - 60 * MIN), now, MIN)).toBe(true);
  });
});
