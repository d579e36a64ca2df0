/**
 * The Slurm adapter: `createSlurmAdapter(clusterId, config)` for main.ts, the config schema for the
 * server's `clusters:` entries, and the pure mapping functions for tests and tools.
 */
import { slurmClusterConfigSchema, type SlurmClusterConfigInput } from './config.js';
import { SlurmAdapter, type SlurmAdapterDeps } from './slurm-adapter.js';

export { slurmClusterConfigSchema, supportedSlurmApiVersions } from './config.js';
export type { SlurmApiVersion, SlurmClusterConfig, SlurmClusterConfigInput, SlurmAccountMapping } from './config.js';
export { SlurmAdapter } from './slurm-adapter.js';
export type { SlurmAdapterDeps, SlurmFaults } from './slurm-adapter.js';
export { SlurmRefusedError, SlurmUnavailableError, SlurmVersionError } from './errors.js';
export { mintSlurmJwt } from './auth.js';

/** Build the adapter of one Slurm cluster; `config` is validated (and defaulted) here. */
export function createSlurmAdapter(clusterId: string, config: SlurmClusterConfigInput, deps: SlurmAdapterDeps = {}): SlurmAdapter {
  return new SlurmAdapter(clusterId, slurmClusterConfigSchema.parse(config), deps);
}
