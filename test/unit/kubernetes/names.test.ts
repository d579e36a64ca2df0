/** Names must be valid DNS-1123 labels, deterministic (a retry finds its Job) and distinct per id. */
import { describe, expect, it } from 'vitest';
import { dnsName, jobName, labelValue, namespaceFor } from '../../../src/adapters/kubernetes/names.js';
import { testConfig } from './fixtures.js';

const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

describe('kubernetes names', () => {
  it('clean ids map to themselves with the prefix', () => {
    expect(jobName('j-000123')).toBe('ncg-j-000123');
    expect(namespaceFor(testConfig({ namespaceMode: 'per-institution' }), 'nust')).toBe('ncg-nust');
    expect(namespaceFor(testConfig(), 'nust')).toBe('ncg');
  });

  it('odd and long ids become valid, stable and distinct names', () => {
    const ids = ['Job_1', 'job-1', 'JOB 1', 'a'.repeat(200), `${'a'.repeat(199)}b`, '---', 'ÜET/Lahore'];
    const names = ids.map(jobName);
    for (const n of names) {
      expect(n).toMatch(DNS1123);
      expect(n.length).toBeLessThanOrEqual(52);
    }
    expect(new Set(names).size).toBe(ids.length);
    expect(ids.map(jobName)).toEqual(names);
  });

  it('dnsName never exceeds its limit', () => {
    expect(dnsName('ncg-', 'x'.repeat(100)).length).toBeLessThanOrEqual(63);
  });

  it('label values are valid and distinct', () => {
    const ok = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
    const vals = ['UET Lahore', 'uet-lahore', '_x_', 'z'.repeat(80), 'ok.value_1'].map(labelValue);
    for (const v of vals) {
      expect(v).toMatch(ok);
      expect(v.length).toBeLessThanOrEqual(63);
    }
    expect(labelValue('ok.value_1')).toBe('ok.value_1');
    expect(new Set(vals).size).toBe(vals.length);
  });
});
