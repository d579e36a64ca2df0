import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../../src/domain/errors.js';
import { parseSwf } from '../../../src/simulate/swf-parser.js';

const fixture = readFileSync(new URL('../../fixtures/small.swf', import.meta.url), 'utf8');
const row = (fields: (number | string)[]): string => fields.join(' ');
//            job submit wait run alloc cpu mem req reqtime reqmem status user group exe queue part prec think
const ok = row([1, 100, -1, 50, 4, -1, -1, 4, 120, -1, 1, 7, 3, -1, 1, 1, -1, -1]);

describe('parseSwf', () => {
  it('reads header comments (UnixStartTime, MaxProcs) and skips other comments and blank lines', () => {
    const w = parseSwf(`; Version: 2.2\n; UnixStartTime: 893466664\n; MaxProcs: 128\n;\n\n${ok}\n`);
    expect(w.startEpochMs).toBe(893466664000);
    expect(w.maxProcessors).toBe(128);
    expect(w.jobs).toHaveLength(1);
    expect(w.jobs[0]).toMatchObject({ id: 'swf-1', submitSeconds: 100, runSeconds: 50, walltimeSeconds: 120, size: 4, sizeUnit: 'processors', user: 'u7', group: 'g3' });
  });

  it('treats -1 as unknown: requested processors stand in for allocated, run time for requested time', () => {
    const w = parseSwf(row([2, 0, -1, 30, -1, -1, -1, 8, -1, -1, 1, -1, -1, -1, -1, -1, -1, -1]));
    expect(w.jobs[0]).toMatchObject({ size: 8, walltimeSeconds: undefined, user: 'unknown', group: 'unknown' });
  });

  it('skips records that never ran and counts them; keeps failed records with their run time', () => {
    const cancelled = row([3, 10, -1, -1, -1, -1, -1, 1, 60, -1, 5, 1, 1, -1, 1, 1, -1, -1]);
    const failed = row([4, 20, -1, 15, 2, -1, -1, 2, 60, -1, 0, 1, 1, -1, 1, 1, -1, -1]);
    const w = parseSwf(`${cancelled}\n${failed}\n`);
    expect(w.jobs.map((j) => j.id)).toEqual(['swf-4']);
    expect(w.skipped).toEqual({ 'never ran (run time <= 0 or unknown)': 1 });
  });

  it('rejects a line with the wrong field count, naming the line', () => {
    try {
      parseSwf(`; header\n${ok}\n1 2 3\n`, { fileName: 'trace.swf' });
      expect.unreachable();
    } catch (e) {
      expect(isDomainError(e)).toBe(true);
      expect((e as Error).message).toBe('trace.swf:3: expected 18 whitespace-separated fields, found 3');
    }
  });

  it('rejects a non-numeric field, naming the line and the field', () => {
    const bad = ok.replace(' 50 ', ' abc ');
    expect(() => parseSwf(`${ok}\n${bad}`)).toThrow(/workload:2: field 4 \(run time\) is not a number: "abc"/);
  });

  it('skips malformed lines and counts them under lenient', () => {
    const w = parseSwf(`${ok}\ngarbage\n${ok.replace(/^1 /, '2 ')}\n1 2 3\n`, { lenient: true });
    expect(w.jobs).toHaveLength(2);
    expect(w.malformed).toBe(2);
  });

  it('stops at the limit', () => {
    expect(parseSwf(fixture, { limit: 5 }).jobs).toHaveLength(5);
  });

  it('parses the shipped fixture: 40 records, 2 never ran', () => {
    const w = parseSwf(fixture);
    expect(w.jobs).toHaveLength(38);
    expect(w.maxProcessors).toBe(64);
    expect(w.startEpochMs).toBe(Date.UTC(2025, 0, 1));
  });
});
