/** The sim backend: simulated clusters, their clock, faults and dcgm-exporter-shaped metrics. */
export { ManualClock, ScaledClock, type ScaledClockOptions, type SimClock, type TimerId } from './clock.js';
export { SimClusterAdapter, type SimClusterOptions } from './sim-cluster.js';
export { SimFaults } from './faults.js';
export { simNodeName, type SimNodeHealth, type SimPoolSpec } from './nodes.js';
export { DCGM_METRIC_NAMES, dcgmJobLabels, renderDcgmExposition, simFbUsedMiB, simGpuUuid, type DcgmJobLabelStyle, type GpuSample } from './dcgm-metrics.js';
export { PROMETHEUS_TEXT_CONTENT_TYPE, startDcgmExporter, type DcgmExporter, type DcgmExporterOptions, type GpuSampleSource } from './dcgm-exporter-server.js';
export { createSimClusters, type CreateSimClustersOptions } from './from-seed.js';
