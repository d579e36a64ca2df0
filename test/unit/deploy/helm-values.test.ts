/**
 * The chart's values.yaml validates against values.schema.json (the draft-07 schema Helm applies at install),
 * and bad values fail it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from './load-yaml.js';

const chart = join(repoRoot, 'helm', 'ncg');
const schema = JSON.parse(readFileSync(join(chart, 'values.schema.json'), 'utf8')) as object;
const values = parse(readFileSync(join(chart, 'values.yaml'), 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** Errors of a copy of values.yaml with `change` applied, as "path message" lines. */
function errorsWith(change: (v: Record<string, any>) => void): string[] {
  const copy = structuredClone(values);
  change(copy);
  validate(copy);
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('helm/ncg values', () => {
  it('the schema is draft-07', () => {
    expect((schema as { $schema: string }).$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('values.yaml validates, with two replicas by default', () => {
    expect(errorsWith(() => {})).toEqual([]);
    expect(values.replicaCount).toBe(2);
  });

  it.each([
    ['replicaCount: "two"', (v: Record<string, any>) => (v.replicaCount = 'two'), /\/replicaCount must be integer/],
    ['replicaCount: 0', (v: Record<string, any>) => (v.replicaCount = 0), /\/replicaCount must be >= 1/],
    ['no image repository', (v: Record<string, any>) => delete v.image.repository, /\/image must have required property 'repository'/],
    ['a pull policy Kubernetes lacks', (v: Record<string, any>) => (v.image.pullPolicy = 'Sometimes'), /\/image\/pullPolicy must be equal to one of the allowed values/],
    ['a port out of range', (v: Record<string, any>) => (v.service.grpcPort = 70000), /\/service\/grpcPort must be <= 65535/],
    ['a memory limit that is not a quantity', (v: Record<string, any>) => (v.resources.limits.memory = 'lots'), /\/resources\/limits\/memory must match pattern/],
    ['a misspelt top-level key', (v: Record<string, any>) => (v.replicas = 3), /must NOT have additional properties/],
    ['no database secret', (v: Record<string, any>) => (v.secrets.database.existingSecret = ''), /\/secrets\/database\/existingSecret must NOT have fewer than 1 characters/],
    ['ports in config (the chart owns them)', (v: Record<string, any>) => (v.config.http = { port: 9000 }), /\/config must NOT be valid/],
  ])('rejects %s', (_name, change, message) => {
    const errors = errorsWith(change);
    expect(errors.join('\n')).toMatch(message);
  });
});
