/**
 * The control loop (DESIGN §3): one leader builds snapshots from the store and the clusters, runs the pure
 * scheduling core, persists its decisions, then acts on them through the adapters, and reconciles what the
 * clusters report back into job states, the ledger and decayed usage.
 */
export { Controller, type ClusterJobRef, type ControllerOptions } from './controller.js';
export { LocalLease, type LeaderLease, type LeadershipListener } from './lease.js';
export { PgAdvisoryLease, LEADER_LOCK_KEY, type PgAdvisoryLeaseOptions } from './pg-advisory-lease.js';
export { ControllerCrashedError, type FaultContext, type FaultPoints } from './fault-points.js';
export { LeadershipLostError, type ControlLogger, type ControlTuning } from './context.js';
export type { CycleReport } from './control-cycle.js';
export type { ControlMetrics } from './metrics.js';
export { registerLeaderGauge } from './leader-gauge.js';
export { policyFromConfig } from './policy-from-config.js';
export { nextDispatchKey } from './dispatch.js';
