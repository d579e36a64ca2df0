/** Parsing Slurm gres strings and hostlists. */
import { describe, expect, it } from 'vitest';
import { gpusByType, parseGres, splitTopLevel } from '../../../src/adapters/slurm/gres.js';
import { expandHostlist } from '../../../src/adapters/slurm/hostlist.js';

describe('gres', () => {
  it('parses typed, untyped, socket-annotated and index-annotated entries', () => {
    expect(parseGres('gpu:a100:4')).toEqual([{ name: 'gpu', type: 'a100', count: 4 }]);
    expect(parseGres('gpu:4')).toEqual([{ name: 'gpu', count: 4 }]);
    expect(parseGres('gpu:a100:4(S:0-1),gpu:h100:2')).toEqual([
      { name: 'gpu', type: 'a100', count: 4 },
      { name: 'gpu', type: 'h100', count: 2 },
    ]);
    expect(parseGres('gpu:a100:3(IDX:0-1,3),shard:8')).toEqual([
      { name: 'gpu', type: 'a100', count: 3 },
      { name: 'shard', count: 8 },
    ]);
    expect(parseGres('gpu:a100:0(IDX:N/A)')).toEqual([{ name: 'gpu', type: 'a100', count: 0 }]);
    expect(parseGres('mps:1K')).toEqual([{ name: 'mps', count: 1024 }]);
  });

  it('treats empty markers as nothing', () => {
    for (const empty of ['', '(null)', 'N/A']) expect(parseGres(empty)).toEqual([]);
  });

  it('sums GPUs by type, untyped under the default type', () => {
    expect([...gpusByType('gpu:a100:2,gpu:a100:2,gpu:1,mps:100', 'gpu')]).toEqual([
      ['a100', 4],
      ['gpu', 1],
    ]);
  });

  it('splits only on top-level commas', () => {
    expect(splitTopLevel('a(1,2),b[3,4],c')).toEqual(['a(1,2)', 'b[3,4]', 'c']);
  });
});

describe('expandHostlist', () => {
  it('expands ranges, lists, padding and several groups', () => {
    expect(expandHostlist('node[1-3,5]')).toEqual(['node1', 'node2', 'node3', 'node5']);
    expect(expandHostlist('gpu[08-10]')).toEqual(['gpu08', 'gpu09', 'gpu10']);
    expect(expandHostlist('a1,b[1-2]')).toEqual(['a1', 'b1', 'b2']);
    expect(expandHostlist('r[1-2]n[1-2]')).toEqual(['r1n1', 'r1n2', 'r2n1', 'r2n2']);
  });
  it('gives nothing for an empty list', () => {
    expect(expandHostlist('')).toEqual([]);
    expect(expandHostlist('(null)')).toEqual([]);
  });
});
