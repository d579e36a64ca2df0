import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/simulate/csv-parser.js';

const fixture = readFileSync(new URL('../../fixtures/small.csv', import.meta.url), 'utf8');

describe('parseCsv', () => {
  it('reads the mandatory columns and defaults the optional ones', () => {
    const w = parseCsv('submit_time,duration,gpus\n100,60,2\n160,30,1\n');
    expect(w.format).toBe('csv');
    expect(w.jobs).toEqual([
      { id: 'csv-2', submitSeconds: 0, runSeconds: 60, walltimeSeconds: undefined, size: 2, sizeUnit: 'gpus', nodes: undefined, gpuType: undefined, institution: undefined, user: undefined },
      { id: 'csv-3', submitSeconds: 60, runSeconds: 30, walltimeSeconds: undefined, size: 1, sizeUnit: 'gpus', nodes: undefined, gpuType: undefined, institution: undefined, user: undefined },
    ]);
  });

  it('accepts columns in any order, with empty optional cells', () => {
    const w = parseCsv('gpus,institution,submit_time,duration,gpu_type,walltime,nodes,user\n16,a,5,10,h100,20,2,bob\n1,,6,10,any,,,\n');
    expect(w.jobs[0]).toMatchObject({ size: 16, nodes: 2, institution: 'a', gpuType: 'h100', walltimeSeconds: 20, user: 'bob' });
    expect(w.jobs[1]).toMatchObject({ institution: undefined, gpuType: undefined, walltimeSeconds: undefined });
  });

  it('requires a header with the mandatory columns and no unknown ones', () => {
    expect(() => parseCsv('100,60,2\n')).toThrow(/unknown column "100"/);
    expect(() => parseCsv('submit_time,gpus\n1,2\n')).toThrow(/must name column "duration"/);
    expect(() => parseCsv('')).toThrow(/header row is required/);
  });

  it('names the line of a malformed row, or counts it under lenient', () => {
    const text = 'submit_time,duration,gpus\n0,60,1\n5,sixty,1\n7,60\n9,60,0\n';
    expect(() => parseCsv(text, { fileName: 'jobs.csv' })).toThrow('jobs.csv:3: duration must be a number >= 0, got "sixty"');
    const w = parseCsv(text, { lenient: true });
    expect(w.jobs).toHaveLength(1);
    expect(w.malformed).toBe(3);
  });

  it('checks gpus is a multiple of nodes', () => {
    expect(() => parseCsv('submit_time,duration,gpus,nodes\n0,1,5,2\n')).toThrow(/multiple of nodes/);
  });

  it('parses the shipped fixture', () => {
    const w = parseCsv(fixture);
    expect(w.jobs).toHaveLength(30);
    expect(w.jobs[0]!.submitSeconds).toBe(0);
  });
});
