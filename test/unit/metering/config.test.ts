/** The `metering:` configuration: sane defaults, strict keys, checks that name the key. */
import { describe, expect, it } from 'vitest';
import { clusterQueries, profileNameOf } from '../../../src/metering/cluster-targets.js';
import { defaultMeteringConfig, meteringConfigSchema } from '../../../src/metering/config.js';
import { KUBERNETES_PROFILE, SLURM_PROFILE } from '../../../src/metering/default-queries.js';

describe('metering config', () => {
  it('defaults: Prometheus on 127.0.0.1:9090, 1-minute windows, 15 s resolution, every minute, disabled', () => {
    const c = defaultMeteringConfig();
    expect(c).toMatchObject({ enabled: false, stepSeconds: 60, resolutionSeconds: 15, lagSeconds: 120, schedule: '* * * * *', clusterLabel: 'ncg_cluster' });
    expect(c.prometheus).toEqual({ url: 'http://127.0.0.1:9090', timeoutMs: 10_000, retries: 3, retryBackoffMs: 500, headers: {} });
  });

  it('takes numbers and booleans as strings (environment, --set)', () => {
    expect(meteringConfigSchema.parse({ enabled: 'true', stepSeconds: '300', resolutionSeconds: '30' })).toMatchObject({ enabled: true, stepSeconds: 300, resolutionSeconds: 30 });
  });

  it('refuses unknown keys, a resolution that does not divide the step, bad cron, unknown profiles and placeholders', () => {
    const issues = (v: unknown) => meteringConfigSchema.safeParse(v).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(issues({ stepSecs: 60 })[0]).toMatch(/stepSecs/);
    expect(issues({ stepSeconds: 60, resolutionSeconds: 25 })).toEqual(['resolutionSeconds: must divide stepSeconds (60)']);
    expect(issues({ schedule: 'every minute' })[0]).toMatch(/^schedule: expected a cron expression/);
    expect(issues({ clusters: { c1: { profile: 'nope' } } })).toEqual(['clusters.c1.profile: no profile named "nope"']);
    expect(issues({ profiles: { mine: { ...SLURM_PROFILE, usage: 'sum($oops)' } } })).toEqual(['profiles.mine.usage: unknown placeholder $oops']);
    expect(issues({ prometheus: { url: 'ftp://x' } })[0]).toMatch(/^prometheus.url/);
  });

  it('picks the profile by cluster kind, a sim cluster by its label style, an override by id', () => {
    const c = meteringConfigSchema.parse({ clusters: { special: { profile: 'kubernetes', labelValue: 'site-7' } } });
    expect(profileNameOf({ id: 'a', kind: 'slurm', config: {} }, c)).toBe('slurm');
    expect(profileNameOf({ id: 'b', kind: 'kubernetes', config: {} }, c)).toBe('kubernetes');
    expect(profileNameOf({ id: 'c', kind: 'sim', config: { jobLabelStyle: 'kubernetes' } }, c)).toBe('kubernetes');
    expect(profileNameOf({ id: 'd', kind: 'sim', config: {} }, c)).toBe('slurm');
    const special = clusterQueries({ id: 'special', kind: 'slurm', config: {} }, c);
    expect(special.profile).toEqual(KUBERNETES_PROFILE);
    expect(special.values.selector).toBe('ncg_cluster="site-7"');
  });

  it('a configured profile replaces the default of the same name', () => {
    const mine = { ...SLURM_PROFILE, jobLabel: 'slurm_job_id' };
    const c = meteringConfigSchema.parse({ profiles: { slurm: mine } });
    expect(clusterQueries({ id: 'a', kind: 'slurm', config: {} }, c).profile.jobLabel).toBe('slurm_job_id');
  });
});
