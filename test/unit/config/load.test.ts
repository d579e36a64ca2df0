import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, flagsToOverrides, loadConfig } from '../../../src/config/index.js';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

function yamlFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ncg-config-'));
  const path = join(dir, 'ncg.yaml');
  writeFileSync(path, text);
  return path;
}

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c.http.port).toBe(8080);
    expect(c.grpc.port).toBe(50051);
    expect(c.database.url).toBeUndefined();
    expect(c.dataDir).toBe('./.ncg');
    expect(c.sim.speed).toBe(1);
    expect(c.log.level).toBe('info');
    expect(c.scheduler.halfLifeDays).toBe(7);
  });

  it('layers file < environment < flags', () => {
    const file = yamlFile('http:\n  port: 9001\nsim:\n  speed: 5\nlog:\n  level: debug\n');
    const c = loadConfig({ configFile: file, env: { NCG_HTTP_PORT: '9002', NCG_SIM_SPEED: '60' }, overrides: { 'http.port': '9003' } });
    expect(c.http.port).toBe(9003);
    expect(c.sim.speed).toBe(60);
    expect(c.log.level).toBe('debug');
  });

  it('takes the leader lease period from NCG_LEADER_LEASE_PERIOD_SECONDS (5 s by default), within bounds', () => {
    expect(loadConfig({}).leader.leasePeriodSeconds).toBe(5);
    expect(loadConfig({ env: { NCG_LEADER_LEASE_PERIOD_SECONDS: '1' } }).leader.leasePeriodSeconds).toBe(1);
    expect(problemsOf(() => loadConfig({ env: { NCG_LEADER_LEASE_PERIOD_SECONDS: '0' } }))[0]).toMatch(/^leader\.leasePeriodSeconds .*at least 0\.1/);
  });

  it('takes metering from the file and the environment, and names a bad metering key', () => {
    const file = yamlFile('metering:\n  enabled: true\n  stepSeconds: 120\n');
    const c = loadConfig({ configFile: file, env: { NCG_PROMETHEUS_URL: 'http://127.0.0.1:9999' } });
    expect(c.metering.enabled).toBe(true);
    expect(c.metering.stepSeconds).toBe(120);
    expect(c.metering.prometheus.url).toBe('http://127.0.0.1:9999');
    expect(loadConfig({}).metering.enabled).toBe(false);
    expect(problemsOf(() => loadConfig({ configFile: yamlFile('metering:\n  stepSecs: 60\n') })).join('\n')).toMatch(/metering.*stepSecs/);
  });

  it('reads http.trustProxy as off, a hop count or proxy subnets, and names a bad one', () => {
    expect(loadConfig({}).http.trustProxy).toBe(false);
    expect(loadConfig({ env: { NCG_HTTP_TRUST_PROXY: '1' } }).http.trustProxy).toBe(1);
    expect(loadConfig({ env: { NCG_HTTP_TRUST_PROXY: '10.0.0.0/8, loopback' } }).http.trustProxy).toEqual(['10.0.0.0/8', 'loopback']);
    expect(problemsOf(() => loadConfig({ env: { NCG_HTTP_TRUST_PROXY: 'the ingress' } })).join('\n')).toMatch(/http\.trustProxy/);
  });

  it('reads the file named by NCG_CONFIG', () => {
    const file = yamlFile('grpc:\n  port: 6000\n');
    expect(loadConfig({ env: { NCG_CONFIG: file } }).grpc.port).toBe(6000);
  });

  it('names the key and its source for a bad value', () => {
    expect(problemsOf(() => loadConfig({ env: { NCG_HTTP_PORT: 'abc' } }))).toEqual(['http.port (NCG_HTTP_PORT="abc"): expected a whole number']);
    expect(problemsOf(() => loadConfig({ env: { NCG_HTTP_PORT: '70000' } }))[0]).toMatch(/^http\.port .*0–65535/);
    expect(problemsOf(() => loadConfig({ env: { DATABASE_URL: 'mysql://db' } }))[0]).toMatch(/^database\.url .*postgres:\/\//);
  });

  it('rejects an unknown key in the file, naming it', () => {
    const file = yamlFile('http:\n  port: 8080\n  prot: 1\nbogus: true\n');
    const problems = problemsOf(() => loadConfig({ configFile: file }));
    expect(problems).toContain(`http.prot: unknown key (in ${file})`);
    expect(problems).toContain(`bogus: unknown key (in ${file})`);
  });

  it('rejects a misspelt NCG_ variable but ignores the CLI and test ones', () => {
    expect(problemsOf(() => loadConfig({ env: { NCG_HTTP_PROT: '1' } }))[0]).toMatch(/^NCG_HTTP_PROT: unknown environment variable/);
    expect(() => loadConfig({ env: { NCG_URL: 'http://x', NCG_TOKEN: 't', NCG_REQUIRE_SERVICES: '1', NCG_TEST_DATABASE_URL: 'postgres://x' } })).not.toThrow();
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ env: { DATABASE_URL: '' } }).database.url).toBeUndefined();
  });

  it('explains a missing or malformed file', () => {
    expect(problemsOf(() => loadConfig({ configFile: '/nonexistent/ncg.yaml' }))[0]).toMatch(/cannot be read \(ENOENT\)/);
    expect(problemsOf(() => loadConfig({ configFile: yamlFile('- a\n- b\n') }))[0]).toMatch(/expected a mapping/);
  });

  it('maps flags and --set entries to keys', () => {
    expect(flagsToOverrides({ httpPort: 9000, dataDir: '/tmp/x' }, ['scheduler.backfillDepth=20'])).toEqual({
      'http.port': '9000',
      dataDir: '/tmp/x',
      'scheduler.backfillDepth': '20',
    });
    expect(() => flagsToOverrides({}, ['nokey'])).toThrow(ConfigError);
  });
});
