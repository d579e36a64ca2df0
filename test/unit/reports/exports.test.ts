/** Exports and snapshots, pure parts: CSV parses back to the JSON numbers; canonical hashing catches a change; periods and missed schedules. */
import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from '../../../src/reports/canonical.js';
import { kpiReport } from '../../../src/reports/kpi/index.js';
import { parsePeriod, lastCompletePeriod } from '../../../src/reports/period.js';
import { pillar5Report } from '../../../src/reports/pillar5.js';
import { kpiCsv, kpiMetrics, pillar5Csv } from '../../../src/reports/render/csv.js';
import { pillar5Html } from '../../../src/reports/render/pillar5-html.js';
import { missedPeriods, verifySnapshot } from '../../../src/reports/snapshots.js';
import { kpiFixture } from './kpi-fixture.js';

/** A small RFC 4180 parser (quoted fields, doubled quotes, CRLF), independent of the writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

const cell = (v: string): number | null | boolean | string => (v === '' ? null : v === 'true' ? true : v === 'false' ? false : Number.isNaN(Number(v)) ? v : Number(v));

describe('CSV exports', () => {
  it('the KPI CSV parses back to exactly the JSON numbers, one row per group, national first', () => {
    const report = kpiReport(kpiFixture(), 'site');
    const [header, ...rows] = parseCsv(kpiCsv(report));
    expect(rows).toHaveLength(3);
    for (const [i, group] of [report.national, ...report.groups].entries()) {
      const parsed = Object.fromEntries(header!.map((h, j) => [h, rows[i]![j]!]));
      expect(parsed.key).toBe(group.key);
      expect(parsed.label).toBe(group.label);
      for (const [metric, value] of kpiMetrics(group)) expect(cell(parsed[metric]!), `${group.key} ${metric}`).toEqual(value);
    }
    expect(rows[1]![3]).toBe('CoE Islamabad');
  });

  it('the Pillar-5 CSV parses back to the document’s numbers', () => {
    const doc = pillar5Report(kpiFixture());
    const rows = parseCsv(pillar5Csv(doc)).slice(1);
    const value = (section: string, key: string, metric: string) => cell(rows.find((r) => r[0] === section && r[1] === key && r[3] === metric)![4]!);
    expect(value('national', 'national', 'gpu_hours_delivered')).toBe(doc.national.gpuHoursDelivered);
    expect(value('national', 'national', 'utilisation')).toBe(doc.national.utilisation);
    expect(value('national', 'national', 'wait_p90_s')).toBe(doc.national.waits.p90Seconds);
    expect(value('institutions_served', 'national', 'served')).toBe(2);
    expect(value('institutions_served', 'national', 'target_3_met')).toBe(false);
    expect(value('consolidation', 'national', 'managed_share_pflops')).toBe(0.8677);
    expect(value('site', 's2', 'gpu_hours_available')).toBe(1_440);
    expect(value('province', 'Punjab', 'efficiency')).toBe(0.75);
    expect(value('institution_province', 'Sindh', 'gpu_hours_delivered')).toBe(0.5);
    expect(value('capacity_by_gpu_type', 'h100-80gb', 'gpus')).toBe(12);
  });

  it('the printable page is self-contained and shows the targets', () => {
    const html = pillar5Html(pillar5Report(kpiFixture()));
    expect(html).toContain('2 of 3');
    expect(html).toContain('<caption>Sites of the national grid</caption>');
    expect(html).not.toMatch(/<script|<link|\ssrc=|https?:\/\//i);
  });
});

describe('snapshot hashes', () => {
  it('hash canonical JSON: key order does not matter, any change of content does', () => {
    expect(canonicalJson({ b: 1, a: [{ d: null, c: 'x' }] })).toBe('{"a":[{"c":"x","d":null}],"b":1}');
    const doc = pillar5Report(kpiFixture());
    const sha256 = contentHash(doc);
    // What jsonb may hand back: the same content with keys in another order at every level.
    const reverse = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reverse) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverse(x)])) : v;
    const reordered = reverse(doc);
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(doc));
    expect(verifySnapshot({ content: reordered, sha256 })).toBe(true);
    const tampered = structuredClone(doc);
    tampered.national.gpuHoursDelivered += 0.001;
    expect(verifySnapshot({ content: tampered, sha256 })).toBe(false);
    expect(verifySnapshot({ content: { ...doc, institutionsServed: { ...doc.institutionsServed, served: 3 } }, sha256 })).toBe(false);
  });
});

describe('periods and missed schedules', () => {
  it('parses years, quarters, months, days and ranges', () => {
    expect(parsePeriod('2026')).toMatchObject({ kind: 'year', start: Date.UTC(2026, 0, 1), end: Date.UTC(2027, 0, 1) });
    expect(parsePeriod('2026-q3')).toMatchObject({ name: '2026-Q3', start: Date.UTC(2026, 6, 1), end: Date.UTC(2026, 9, 1) });
    expect(parsePeriod('2026-11')).toMatchObject({ kind: 'month', end: Date.UTC(2026, 11, 1) });
    expect(parsePeriod('2026-02-03/2026-02-10')).toMatchObject({ kind: 'range', name: '2026-02-03/2026-02-10' });
    expect(() => parsePeriod('2026-13')).toThrow(/period must be/);
    expect(() => parsePeriod('2026-02-30')).toThrow(/expected a date/);
    expect(lastCompletePeriod('quarter', Date.UTC(2026, 10, 28)).name).toBe('2026-Q3');
  });

  it('catch up every missed period after the last written one, oldest first, within the limit', () => {
    const now = Date.UTC(2026, 3, 2, 12);
    expect(missedPeriods('month', now, new Set(), 24).map((p) => p.name)).toEqual(['2026-03']);
    expect(missedPeriods('month', now, new Set(['2025-12']), 24).map((p) => p.name)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(missedPeriods('month', now, new Set(['2025-12']), 2).map((p) => p.name)).toEqual(['2026-02', '2026-03']);
    expect(missedPeriods('quarter', now, new Set(['2025-12', '2025-Q4']), 24).map((p) => p.name)).toEqual(['2026-Q1']);
    expect(missedPeriods('quarter', now, new Set(['2026-Q1']), 24)).toEqual([]);
  });
});
