/**
 * Metering (DESIGN §6, docs/metering.md): GPU-seconds per job measured through Prometheus into the
 * append-only ledger, allocation estimates while Prometheus is down, superseded when it answers again.
 */
export { meteringConfigSchema, defaultMeteringConfig, profilesOf, type MeteringConfig } from './config.js';
export { DEFAULT_PROFILES, KUBERNETES_PROFILE, SLURM_PROFILE, type QueryProfile } from './default-queries.js';
export { PrometheusClient, PrometheusQueryError, PrometheusUnavailableError, type PrometheusClientOptions, type RangeSeries } from './prometheus-client.js';
export { Meter, type MeterDeps, type MeterLogger, type MeterRangeOptions } from './meter.js';
export { addReport, emptyReport, type MeterObserver, type MeterReport } from './meter-report.js';
export { runScheduledPass, SWEEP_WATERMARK_KEY, type ScheduledRunDeps } from './scheduled-run.js';
export { startMeterSchedule, type MeterSchedule, type MeterScheduleOptions } from './schedule.js';
export { clusterQueries, profileNameOf, type MeterCluster } from './cluster-targets.js';
export { alignDown, alignUp, windowsBetween, type Window } from './windows.js';
