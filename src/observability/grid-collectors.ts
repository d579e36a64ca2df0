/**
 * ncg gauges that mirror state (the database, the clusters' inventories) and are read on scrape rather
 * than kept up to date by hand: one read per scrape, shared by every gauge through a short-lived cache.
 * Labels are bounded: institution, cluster, pool, GPU type, allocation; never a job id.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { GridMetricsState } from '../store/repositories/metrics-state.js';
import type { JobState } from '../domain/types.js';

/** A pool's live size and free GPUs (from the adapters' inventory). */
export interface PoolAvailability {
  clusterId: string;
  poolId: string;
  gpuType: string;
  totalGpus: number;
  freeGpus: number;
}

/** Where the scrape-time gauges read from; main.ts wires the store and the inventory service. */
export interface GridStateSource {
  /** Database state at `now`. */
  read(now: number): Promise<GridMetricsState>;
  /** Job state transitions after event `afterId`. */
  transitionsSince(afterId: number): Promise<{ lastId: number; counts: { from: JobState | null; to: JobState; count: number }[] }>;
  /** Live pools and reachability; without it, available = registered − allocated and cluster_up is set by hand. */
  inventory?(): Promise<{ clusters: { clusterId: string; reachable: boolean }[]; pools: PoolAvailability[] }>;
}

/** Live inventory, read at most once per second. */
export type LiveInventory = () => ReturnType<NonNullable<GridStateSource['inventory']>>;

/** Register the scrape-time collectors on `registry`; returns the cached live inventory reader, if any. */
export function registerGridCollectors(registry: Registry, source: GridStateSource, now: () => number): LiveInventory | undefined {
  let cached: { at: number; value: Promise<GridMetricsState> } | undefined;
  // Every gauge's collect() runs on each scrape; one database read serves them all.
  const state = (): Promise<GridMetricsState> => {
    const t = Date.now();
    if (!cached || t - cached.at > 1_000) cached = { at: t, value: source.read(now()) };
    return cached.value;
  };
  let inventoryCache: { at: number; value: ReturnType<NonNullable<GridStateSource['inventory']>> } | undefined;
  const inventory = source.inventory?.bind(source);
  const live = inventory
    ? () => {
        const t = Date.now();
        if (!inventoryCache || t - inventoryCache.at > 1_000) inventoryCache = { at: t, value: inventory() };
        return inventoryCache.value;
      }
    : undefined;

  new Gauge({
    name: 'ncg_jobs_pending', help: 'Jobs waiting in the national queue (queued or preempted), per institution and requested GPU type.',
    labelNames: ['institution', 'gpu_type'] as const, registers: [registry],
    async collect() {
      this.reset();
      for (const p of (await state()).pendingJobs) this.set({ institution: p.institutionId, gpu_type: p.gpuType }, p.count);
    },
  });
  new Gauge({
    name: 'ncg_gpus_allocated', help: 'GPUs held by dispatching and running jobs, per cluster, pool and GPU type.',
    labelNames: ['cluster', 'pool', 'gpu_type'] as const, registers: [registry],
    async collect() {
      this.reset();
      for (const a of (await state()).allocatedGpus) this.set({ cluster: a.clusterId, pool: a.poolId, gpu_type: a.gpuType }, a.gpus);
    },
  });
  new Gauge({
    name: 'ncg_pool_gpus', help: 'GPUs in a pool (live inventory where the cluster answers, else as registered).',
    labelNames: ['cluster', 'pool', 'gpu_type'] as const, registers: [registry],
    async collect() {
      this.reset();
      const pools = live ? (await live()).pools.map((p) => ({ ...p, gpus: p.totalGpus })) : (await state()).pools;
      for (const p of pools) this.set({ cluster: p.clusterId, pool: p.poolId, gpu_type: p.gpuType }, p.gpus);
    },
  });
  new Gauge({
    name: 'ncg_pool_gpus_available', help: 'Free GPUs in a pool: as its cluster reports them (0 when unreachable), else registered minus allocated.',
    labelNames: ['cluster', 'pool', 'gpu_type'] as const, registers: [registry],
    async collect() {
      this.reset();
      if (live) {
        for (const p of (await live()).pools) this.set({ cluster: p.clusterId, pool: p.poolId, gpu_type: p.gpuType }, p.freeGpus);
        return;
      }
      const s = await state();
      const used = new Map(s.allocatedGpus.map((a) => [a.poolId, a.gpus]));
      for (const p of s.pools) this.set({ cluster: p.clusterId, pool: p.poolId, gpu_type: p.gpuType }, Math.max(0, p.gpus - (used.get(p.poolId) ?? 0)));
    },
  });
  new Gauge({
    name: 'ncg_ledger_lag_seconds', help: 'Seconds between now and the end of the latest window metered from Prometheus, per cluster.',
    labelNames: ['cluster'] as const, registers: [registry],
    async collect() {
      this.reset();
      const t = now();
      for (const [cluster, end] of (await state()).lastMeasured) this.set({ cluster }, Math.max(0, (t - end) / 1000));
    },
  });
  new Gauge({
    name: 'ncg_metering_windows_pending', help: 'Metering windows waiting for complete Prometheus data (estimates stand meanwhile), per cluster.',
    labelNames: ['cluster'] as const, registers: [registry],
    async collect() {
      this.reset();
      for (const [cluster, n] of (await state()).pendingWindows) this.set({ cluster }, n);
    },
  });
  new Counter({
    name: 'ncg_metering_discrepancies_total', help: 'GPU use Prometheus reported for unknown jobs or pods, or for jobs ncg holds as ended, per cluster and kind.',
    labelNames: ['cluster', 'kind'] as const, registers: [registry],
    async collect() {
      this.reset();
      for (const d of (await state()).discrepancies) this.inc({ cluster: d.clusterId, kind: d.kind }, d.count);
    },
  });
  new Gauge({
    name: 'ncg_allocation_budget_used_ratio', help: 'GPU-hours charged to an active allocation divided by its award (1 = exhausted).',
    labelNames: ['allocation', 'institution'] as const, registers: [registry],
    async collect() {
      this.reset();
      for (const b of (await state()).budgets) this.set({ allocation: b.allocationId, institution: b.institutionId }, b.usedRatio);
    },
  });
  let lastEventId = 0;
  new Counter({
    name: 'ncg_job_state_transitions_total', help: 'Job state transitions recorded in the job event log, by from and to state.',
    labelNames: ['from', 'to'] as const, registers: [registry],
    async collect() {
      const { lastId, counts } = await source.transitionsSince(lastEventId);
      lastEventId = lastId;
      for (const c of counts) this.inc({ from: c.from ?? 'none', to: c.to }, c.count);
    },
  });
  return live;
}
