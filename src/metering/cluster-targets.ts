/**
 * Which queries meter a cluster: the profile of its kind (`slurm`, `kubernetes`; a `sim` cluster by its
 * `config.jobLabelStyle`, so sim and real clusters of a style run the same PromQL), or the one
 * `metering.clusters.<id>.profile` names; and the value of the cluster label on its series.
 */
import type { ClusterKind } from '../domain/types.js';
import { profilesOf, type MeteringConfig } from './config.js';
import type { QueryProfile } from './default-queries.js';
import { templateValues, type TemplateValues } from './templates.js';

/** A cluster as the meter needs it. */
export interface MeterCluster {
  id: string;
  kind: ClusterKind;
  config: Record<string, unknown>;
}

/** The queries and placeholder values for one cluster. */
export interface ClusterQueries {
  profileName: string;
  profile: QueryProfile;
  values: TemplateValues;
}

/** The profile name a cluster uses. */
export function profileNameOf(cluster: MeterCluster, config: MeteringConfig): string {
  const override = config.clusters[cluster.id]?.profile;
  if (override !== undefined) return override;
  if (cluster.kind === 'slurm') return config.kindProfiles.slurm;
  if (cluster.kind === 'kubernetes') return config.kindProfiles.kubernetes;
  return cluster.config['jobLabelStyle'] === 'kubernetes' ? config.kindProfiles.kubernetes : config.kindProfiles.slurm;
}

/** Resolve a cluster's queries; an unknown profile name is a configuration error. */
export function clusterQueries(cluster: MeterCluster, config: MeteringConfig): ClusterQueries {
  const profileName = profileNameOf(cluster, config);
  const profile = profilesOf(config)[profileName];
  if (!profile) throw new Error(`metering: cluster ${cluster.id} uses profile ${JSON.stringify(profileName)}, which is not configured`);
  const values = templateValues({
    clusterLabel: config.clusterLabel,
    clusterValue: config.clusters[cluster.id]?.labelValue ?? cluster.id,
    jobLabel: profile.jobLabel,
    stepSeconds: config.stepSeconds,
    resolutionSeconds: config.resolutionSeconds,
    freshnessSeconds: config.freshnessSeconds,
  });
  return { profileName, profile, values };
}
