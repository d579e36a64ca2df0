/**
 * Where configuration values come from besides the file: NCG_* environment variables and command-line flags.
 * Each maps to one dotted key of the schema.
 */

/** Environment variables that set configuration keys. */
export const envKeys: Readonly<Record<string, string>> = {
  NCG_HTTP_HOST: 'http.host',
  NCG_HTTP_PORT: 'http.port',
  NCG_HTTP_BODY_LIMIT_BYTES: 'http.bodyLimitBytes',
  NCG_HTTP_TRUST_PROXY: 'http.trustProxy',
  NCG_HTTP_CORS_ORIGINS: 'http.cors.origins',
  NCG_RATE_LIMIT_TOKEN_PER_SECOND: 'http.rateLimit.tokenPerSecond',
  NCG_RATE_LIMIT_TOKEN_BURST: 'http.rateLimit.tokenBurst',
  NCG_RATE_LIMIT_ADDRESS_PER_SECOND: 'http.rateLimit.addressPerSecond',
  NCG_RATE_LIMIT_ADDRESS_BURST: 'http.rateLimit.addressBurst',
  NCG_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: 'http.rateLimit.authFailuresPerMinute',
  NCG_OIDC_ISSUER: 'auth.oidc.issuer',
  NCG_OIDC_AUDIENCE: 'auth.oidc.audience',
  NCG_OIDC_JWKS_URL: 'auth.oidc.jwksUrl',
  NCG_GRPC_HOST: 'grpc.host',
  NCG_GRPC_PORT: 'grpc.port',
  DATABASE_URL: 'database.url',
  NCG_DATA_DIR: 'dataDir',
  NCG_SIM_SPEED: 'sim.speed',
  NCG_SIM_DEFAULT_DURATION_SECONDS: 'sim.defaultDurationSeconds',
  NCG_LOG_LEVEL: 'log.level',
  NCG_SCHEDULER_INTERVAL_SECONDS: 'scheduler.intervalSeconds',
  NCG_SCHEDULER_HALF_LIFE_DAYS: 'scheduler.halfLifeDays',
  NCG_SCHEDULER_BACKFILL_DEPTH: 'scheduler.backfillDepth',
  NCG_SCHEDULER_RECLAIM_COOLDOWN_SECONDS: 'scheduler.reclaimCooldownSeconds',
  NCG_LEADER_LEASE_PERIOD_SECONDS: 'leader.leasePeriodSeconds',
  NCG_GRID_SEED: 'grid.seed',
  NCG_DEMO_LOAD: 'demo.load',
  NCG_DEMO_HISTORY: 'demo.history',
  NCG_METERING_ENABLED: 'metering.enabled',
  NCG_PROMETHEUS_URL: 'metering.prometheus.url',
};

/**
 * NCG_* variables that are read elsewhere (the CLI, tests, fault injection) and are not server configuration.
 * Any other NCG_* variable is a typo and stops the server.
 */
export const envNotConfig: readonly (string | RegExp)[] = ['NCG_CONFIG', 'NCG_URL', 'NCG_TOKEN', 'NCG_REQUIRE_SERVICES', /^NCG_TEST_/, /^NCG_FAULT_/, /^NCG_BENCH_/];

/** Command-line flags (`--http-port 9000`) that set configuration keys. */
export const flagKeys: Readonly<Record<string, string>> = {
  'http-host': 'http.host',
  'http-port': 'http.port',
  'grpc-port': 'grpc.port',
  'database-url': 'database.url',
  'data-dir': 'dataDir',
  'sim-speed': 'sim.speed',
  'log-level': 'log.level',
};
