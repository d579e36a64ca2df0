/** Configuration: schema, loader and the environment/flag tables. */
export { configSchema, type Config, type ClusterEntry, logLevels } from './schema.js';
export { loadConfig, flagsToOverrides, ConfigError, type ConfigInputs } from './load.js';
export { envKeys, flagKeys } from './sources.js';
