/**
 * A live metering bench for integration tests: a metering grid in a fresh database (the real PostgreSQL
 * when it answers, else PGlite), its sim clusters on a real-time clock, their dcgm/kube-state-metrics
 * exporter, and a Meter configured for short windows (5 s step, 1 s resolution, 3 s freshness).
 * Jobs are started on the sim clusters and written to the store as the control loop would, so the truth
 * (GPUs × the sim's own start/end) can be compared with what the meter puts in the ledger.
 */
import type { Kysely } from 'kysely';
import { createSimClusters, startDcgmExporter, type DcgmExporter, type SimClusterAdapter } from '../../src/adapters/sim/index.js';
import { writeGridSeed, type Database, type OpenedDatabase } from '../../src/store/index.js';
import { Meter, meteringConfigSchema, type MeteringConfig, type MeterReport } from '../../src/metering/index.js';
import { storeClusters } from '../../src/metering/start.js';
import { ledgerTotalsOfJobs, type JobLedgerTotals } from '../../src/store/repositories/metering-ledger.js';
import { openPgliteTestDb, postgresGate } from './db.js';
import { openPostgresTestDb } from './postgres-template.js';
import { finishJob, insertJobs, meteringGrid, type MeteringGrid } from './metering-grid.js';

/** Seconds per window in live tests. */
export const LIVE_STEP_SECONDS = 5;

/** A job the bench ran: its ids, GPUs and the sim's own times. */
export interface LiveJob {
  id: string;
  clusterId: string;
  gpus: number;
  /** Whether the store knows it (false: a job ncg never dispatched). */
  known: boolean;
}

/** The bench. */
export class LiveMeteringBench {
  readonly grid: MeteringGrid;
  readonly clusters: Map<string, SimClusterAdapter>;
  readonly jobs: LiveJob[] = [];
  private constructor(readonly database: OpenedDatabase, readonly exporter: DcgmExporter, grid: MeteringGrid, clusters: Map<string, SimClusterAdapter>) {
    this.grid = grid;
    this.clusters = clusters;
  }

  /** Open a database, seed the grid, start the sim clusters and their exporter. */
  static async open(): Promise<LiveMeteringBench> {
    const database = await openPreferredTestDb();
    const grid = meteringGrid();
    await writeGridSeed(database.db, grid.seed);
    const clusters = createSimClusters(grid.seed, { speed: 1 });
    const exporter = await startDcgmExporter({ clusters });
    return new LiveMeteringBench(database, exporter, grid, clusters);
  }

  get db(): Kysely<Database> {
    return this.database.db;
  }

  /** Start a job on a sim cluster now; record it in the store as running unless `known` is false. */
  async start(o: { id: string; clusterId: string; nodes: number; gpusPerNode: number; seconds: number; utilPct?: number; known?: boolean; nodeOffset?: number }): Promise<void> {
    const sim = this.clusters.get(o.clusterId)!;
    const pool = this.grid.seed.pools.find((p) => p.clusterId === o.clusterId)!;
    const nodeNames = sim.nodeNames().slice(o.nodeOffset ?? 0, (o.nodeOffset ?? 0) + o.nodes);
    const spec = {
      name: o.id, projectId: this.grid.project, gpuTypes: [pool.gpuType], nodes: o.nodes, gpusPerNode: o.gpusPerNode, cpusPerNode: 8, memoryGbPerNode: 64,
      walltimeSeconds: 3600, qos: 'normal' as const, sim: { durationSeconds: o.seconds, gpuUtilPct: o.utilPct ?? 85 },
    };
    const known = o.known ?? true;
    await sim.submit({ idempotencyKey: `${o.id}#1`, jobId: o.id, institutionId: this.grid.institution, projectId: this.grid.project, userId: this.grid.user, spec, poolName: pool.name, nodeNames });
    const startedAt = sim.listJobs().find((j) => j.idempotencyKey === `${o.id}#1`)!.startedAt!;
    if (known) await insertJobs(this.db, this.grid, [{ id: o.id, clusterId: o.clusterId, poolId: pool.id, gpuType: pool.gpuType, nodes: o.nodes, gpusPerNode: o.gpusPerNode, startedAt }]);
    this.jobs.push({ id: o.id, clusterId: o.clusterId, gpus: o.nodes * o.gpusPerNode, known });
  }

  /** The sim's own start and end of a job (end undefined while it runs). */
  timesOf(jobId: string): { startedAt: number; endedAt?: number } {
    for (const sim of this.clusters.values()) {
      const s = sim.listJobs().find((j) => j.idempotencyKey === `${jobId}#1`);
      if (s) return { startedAt: s.startedAt!, ...(s.endedAt !== undefined ? { endedAt: s.endedAt } : {}) };
    }
    throw new Error(`no sim job ${jobId}`);
  }

  /** GPU-seconds a finished job really used: GPUs × the sim's run time. */
  truth(jobId: string): number {
    const job = this.jobs.find((j) => j.id === jobId)!;
    const t = this.timesOf(jobId);
    if (t.endedAt === undefined) throw new Error(`job ${jobId} is still running`);
    return (job.gpus * (t.endedAt - t.startedAt)) / 1000;
  }

  /** Mark every known job that ended on its cluster as ended in the store (what reconcile does). */
  async reconcileEnded(): Promise<void> {
    for (const j of this.jobs.filter((x) => x.known)) {
      const t = this.timesOf(j.id);
      if (t.endedAt !== undefined) {
        const row = await this.db.selectFrom('jobs').select('state').where('id', '=', j.id).executeTakeFirstOrThrow();
        if (row.state === 'running') await finishJob(this.db, j.id, t.endedAt);
      }
    }
  }

  /**
   * Wait until every job has ended on its cluster, mark them ended in the store, then wait out the last
   * scrapes and the meter's lag. Returns the end of the last window that covers every job's end.
   */
  async waitForAllEnded(stepMs: number): Promise<number> {
    for (;;) {
      const ends = this.jobs.map((j) => this.timesOf(j.id).endedAt);
      if (ends.every((e) => e !== undefined)) {
        await this.reconcileEnded();
        // The series vanish at the first scrape after the end (≤ 1 s); the window must contain that scrape.
        const to = Math.ceil((Math.max(...(ends as number[])) + 1_500) / stepMs) * stepMs;
        await sleep(Math.max(0, to + 2_500 - Date.now()));
        return to;
      }
      await sleep(250);
    }
  }

  /** A meter over `prometheusUrl` with the live geometry. */
  meter(prometheusUrl: string, overrides: Record<string, unknown> = {}): Meter {
    const config: MeteringConfig = meteringConfigSchema.parse({
      prometheus: { url: prometheusUrl, timeoutMs: 2_000, retries: 1, retryBackoffMs: 100 },
      stepSeconds: LIVE_STEP_SECONDS, resolutionSeconds: 1, freshnessSeconds: 3, lagSeconds: 2, endedJobGraceSeconds: 60,
      ...overrides,
    });
    return new Meter({ db: this.db, config, clusters: storeClusters(this.db), halfLifeSeconds: 7 * 86_400 });
  }

  /** Ledger totals of the bench's known jobs. */
  totals(): Promise<Map<string, JobLedgerTotals>> {
    return ledgerTotalsOfJobs(this.db, this.jobs.filter((j) => j.known).map((j) => j.id));
  }

  /** Stop everything the bench started. */
  async close(): Promise<void> {
    await this.exporter.close();
    await Promise.all([...this.clusters.values()].map((c) => c.close()));
    await this.database.close();
  }
}

/** A migrated test database: the real PostgreSQL when it answers (the production path), else PGlite. */
export async function openPreferredTestDb(): Promise<OpenedDatabase> {
  return (await postgresGate()).available ? openPostgresTestDb() : openPgliteTestDb();
}

/** Wait `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Meter [from, to) with `meter`, then return the report (a small convenience for tests). */
export function meterSpan(meter: Meter, from: number, to: number, force = false): Promise<MeterReport> {
  return meter.meterRange(from, to, { force });
}
