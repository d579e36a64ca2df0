/**
 * YAML lint: every YAML file under deploy/ and the chart's plain YAML files parse with the `yaml` package
 * with no errors and no warnings, duplicate keys included. Chart templates are skipped: `{{ }}` directives
 * make them Go templates, not YAML, until helm renders them.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { filesUnder, parseYamlFile } from './load-yaml.js';

const files = [...filesUnder('deploy', ['.yaml', '.yml']), 'helm/ncg/values.yaml', 'helm/ncg/Chart.yaml', ...filesUnder('helm/ncg/files', ['.yml', '.yaml'])];

describe('YAML lint', () => {
  it('covers deploy/ and the chart', () => {
    expect(files).toContain('deploy/kubernetes/ncg.yaml');
    expect(files).toContain('deploy/prometheus/ncg-alerts.yml');
    expect(files.some((f) => f.startsWith('helm/ncg/templates/'))).toBe(false);
  });

  it.each(files)('%s parses without errors or warnings', (file) => {
    for (const d of parseYamlFile(file)) {
      expect(d.errors, `${file} document ${d.index}`).toEqual([]);
      expect(d.warnings, `${file} document ${d.index}`).toEqual([]);
    }
  });

  it('would catch a duplicate key or a tab indent', () => {
    expect(parseAllDocuments('a: 1\na: 2\n', { uniqueKeys: true })[0]!.errors.map((e) => e.code)).toContain('DUPLICATE_KEY');
    expect(parseAllDocuments('a:\n\tb: 1\n')[0]!.errors.length).toBeGreaterThan(0);
  });
});
