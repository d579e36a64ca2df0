/** `ncg submit` turns flags, a job file and the command into the REST body; flag shapes are checked with usage errors. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError, EXIT } from '../../../src/cli/client.js';
import { envPairs, gpuTypes, memoryGb, submitBody, wholeNumber, type SubmitFlags } from '../../../src/cli/submit-body.js';

const flags = (f: Partial<SubmitFlags> = {}): SubmitFlags => ({ env: [], ...f });
const dir = mkdtempSync(join(tmpdir(), 'ncg-cli-unit-'));

function usageError(fn: () => unknown): CliError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    expect((e as CliError).exitCode).toBe(EXIT.usage);
    return e as CliError;
  }
  throw new Error('expected a usage error');
}

describe('flag shapes', () => {
  it('reads memory in G, M and T, and refuses anything else naming --mem', () => {
    expect([memoryGb('64'), memoryGb('64G'), memoryGb('64gb'), memoryGb('512M'), memoryGb('1T'), memoryGb('1.5g')]).toEqual([64, 64, 64, 0.5, 1024, 1.5]);
    expect(usageError(() => memoryGb('lots')).message).toContain('--mem');
  });

  it('reads GPU types as any, one, or a list', () => {
    expect(gpuTypes('any')).toBe('any');
    expect(gpuTypes('h100-80gb, l40s')).toEqual(['h100-80gb', 'l40s']);
    usageError(() => gpuTypes(' , '));
  });

  it('reads K=V pairs, keeping = inside values', () => {
    expect(envPairs(['A=1', 'URL=a=b', 'EMPTY='])).toEqual({ A: '1', URL: 'a=b', EMPTY: '' });
    expect(usageError(() => envPairs(['=x'])).message).toContain('NAME=value');
  });

  it('whole numbers only', () => {
    expect(wholeNumber('--nodes', ' 4 ')).toBe(4);
    expect(usageError(() => wholeNumber('--nodes', '2.5')).message).toBe('--nodes: expected a whole number, got "2.5"');
  });
});

describe('submitBody', () => {
  it('maps flags to REST body keys and the command after --', () => {
    const body = submitBody(
      flags({ name: 'demo', project: 'p1', gpus: '2', nodes: '3', gpuType: 'any', cpus: '16', mem: '128G', walltime: '1h', qos: 'high', site: 'coe-lahore', image: 'img', env: ['A=1'], simDuration: '30s', simExitCode: '2' }),
      ['python', 'train.py', '--epochs', '3'],
    );
    expect(body).toEqual({
      name: 'demo', project: 'p1', gpusPerNode: 2, nodes: 3, gpuType: 'any', cpusPerNode: 16, memoryGbPerNode: 128, walltime: '1h', qos: 'high',
      preferredSite: 'coe-lahore', image: 'img', env: { A: '1' }, sim: { durationSeconds: 30, exitCode: 2 }, command: ['python', 'train.py', '--epochs', '3'],
    });
  });

  it('takes a YAML file as the base: flags override fields, --env merges, --sim-* merge into its sim block', () => {
    const file = join(dir, 'job.yaml');
    writeFileSync(file, 'name: base\nproject: p1\ngpusPerNode: 4\nenv: { A: "1", B: "2" }\nsim: { durationSeconds: 60, gpuUtilPct: 80 }\ncommand: [a]\n');
    const body = submitBody(flags({ file, gpus: '1', env: ['B=3'], simExitCode: '1' }), []);
    expect(body).toEqual({ name: 'base', project: 'p1', gpusPerNode: 1, env: { A: '1', B: '3' }, sim: { durationSeconds: 60, gpuUtilPct: 80, exitCode: 1 }, command: ['a'] });
  });

  it('refuses unreadable, invalid or non-mapping job files, and a bad --sim-duration', () => {
    expect(usageError(() => submitBody(flags({ file: join(dir, 'missing.yaml') }), [])).message).toContain('ENOENT');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: [unclosed\n');
    expect(usageError(() => submitBody(flags({ file: bad }), [])).message).toContain('not valid YAML');
    const list = join(dir, 'list.yaml');
    writeFileSync(list, '- a\n- b\n');
    expect(usageError(() => submitBody(flags({ file: list }), [])).message).toContain('mapping');
    expect(usageError(() => submitBody(flags({ simDuration: 'soon' }), [])).message).toContain('--sim-duration');
  });

  it('reads --script from a file', () => {
    const script = join(dir, 'job.sbatch');
    writeFileSync(script, '#!/bin/bash\nsrun python train.py\n');
    expect(submitBody(flags({ script }), []).script).toBe('#!/bin/bash\nsrun python train.py\n');
  });
});
