/**
 * The grid the leader-failover tests run: one empty PostgreSQL database — the replicas, started side by
 * side as a fresh Helm release's are, migrate and seed it themselves — one Kubernetes cluster (the
 * in-process API server fake) that every replica reaches through its kubeconfig, and the environment that
 * starts an `ncg serve` replica on them, each with a data directory of its own.
 *
 * Why a Kubernetes fake rather than the sim clusters: a sim cluster lives inside each ncg process and dies
 * with it, so a job a killed leader dispatched is gone with it, and two replicas never see the same
 * cluster. Real clusters outlive the leader; the fake, running in the test process, does too, and it
 * counts every Job created for an ncg job, which is how the tests see a double dispatch.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { stringify } from 'yaml';
import { FINAL_JOB_STATES } from '../../../src/domain/types.js';
import { openDatabase, type OpenedDatabase } from '../../../src/store/index.js';
import { FakeKubernetes } from '../k8s-fake/fake-cluster.js';
import { createTestDatabase } from '../postgres-template.js';

/** The federated cluster's id, its node label product and the ncg GPU type it maps to. */
export const HA_CLUSTER = 'ha-kube';
const PRODUCT = 'NVIDIA-H200';
export const HA_GPU_TYPE = 'h200-141gb';

/** A running HA grid. */
export interface HaGrid {
  fake: FakeKubernetes;
  database: OpenedDatabase;
  /** The national admin's API token and a project to submit under, once a replica has seeded (firstStartBy). */
  token: string;
  project: string;
  /** Environment of replica `name` on this grid: shared config, its own data directory. */
  env(name: string): Record<string, string>;
  /**
   * After the replicas started: the one replica that seeded (its data directory holds the admin token; the
   * others' do not), and the token and project read from it and the database.
   */
  firstStartBy(names: readonly string[]): Promise<string>;
  /** ncg job id → how many Kubernetes Jobs were created for it (every dispatch attempt's Job counts). */
  jobsCreated: Map<string, number>;
  close(): Promise<void>;
}

/** Start the fake cluster, clone and seed the database, and write the replicas' config file. */
export async function startHaGrid(opts: { leasePeriodSeconds: number }): Promise<HaGrid> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
  };
  try {
    const fake = await FakeKubernetes.start({
      speed: 1,
      nodes: [1, 2, 3, 4].map((i) => ({ name: `gpu-h200-${i}`, gpus: 8, product: PRODUCT })),
    });
    cleanups.push(() => fake.close());
    const jobsCreated = new Map<string, number>();
    fake.store.subscribe((ev) => {
      if (ev.kind !== 'Job' || ev.type !== 'ADDED') return;
      const id = ev.object.metadata.annotations?.['ncg.io/job-id'] ?? '?';
      jobsCreated.set(id, (jobsCreated.get(id) ?? 0) + 1);
    });

    // Empty, not even migrated: the replicas' own migrations (under their advisory lock) run side by side.
    const created = await createTestDatabase({ empty: true });
    cleanups.push(() => created.drop());
    const database = await openDatabase({ url: created.url, poolSize: 4 });
    cleanups.push(() => database.close());
    const dir = mkdtempSync(join(tmpdir(), 'ncg-ha-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));

    const configFile = join(dir, 'ncg.yaml');
    writeFileSync(
      configFile,
      stringify({
        scheduler: { intervalSeconds: 1 },
        clusters: [
          {
            id: HA_CLUSTER,
            site: 'hub-lahore',
            name: 'HA test cluster (Kubernetes API server fake)',
            kind: 'kubernetes',
            kubernetes: {
              kubeconfig: fake.kubeconfigPath,
              context: 'fake',
              gpuTypes: { [PRODUCT]: HA_GPU_TYPE },
              timeouts: { requestSeconds: 5, watchBackoffMaxSeconds: 1, exitCodeGraceSeconds: 2 },
            },
          },
        ],
      }),
    );
    const dataDir = (name: string) => join(dir, name.replace(/-restarted$/, ''));
    const grid: HaGrid = {
      fake, database, jobsCreated, close, token: '', project: '',
      env: (name) => ({
        DATABASE_URL: created.url,
        NCG_DATA_DIR: dataDir(name),
        NCG_CONFIG: configFile,
        NCG_LEADER_LEASE_PERIOD_SECONDS: String(opts.leasePeriodSeconds),
        // The seed's sim clusters run too (fast, idle): the HA jobs ask for a GPU type only the fake has.
        NCG_SIM_SPEED: '60',
      }),
      async firstStartBy(names) {
        const seeders = names.filter((n) => existsSync(join(dataDir(n), 'admin-token')));
        if (seeders.length !== 1) throw new Error(`expected exactly one replica to seed and mint the admin token, got ${JSON.stringify(seeders)}`);
        grid.token = readFileSync(join(dataDir(seeders[0]!), 'admin-token'), 'utf8').trim();
        const project = (await sql<{ id: string }>`select id from projects where institution_id = 'itu' order by id limit 1`.execute(database.db)).rows[0]?.id;
        if (!project) throw new Error('the national seed has no project at itu');
        grid.project = project;
        return seeders[0]!;
      },
    };
    return grid;
  } catch (e) {
    await close();
    throw e;
  }
}

/** A small job for the fake cluster that runs `seconds`. */
export function haJob(project: string, name: string, seconds: number): Record<string, unknown> {
  return {
    name, project, gpuType: HA_GPU_TYPE, gpusPerNode: 1, cpusPerNode: 1, memoryGbPerNode: 2, walltime: '10m',
    image: 'busybox:1.36', command: ['sh', '-c', 'true'], sim: { durationSeconds: seconds },
  };
}

/** States of `ids` as the database has them (missing ids are absent from the map). */
export async function jobStates(database: OpenedDatabase, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await database.db.selectFrom('jobs').select(['id', 'state']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, r.state]));
}

/** Wait until every job of `ids` is in the database in a final state; fails naming the stragglers. */
export async function waitAllFinal(database: OpenedDatabase, ids: readonly string[], timeoutMs: number): Promise<Map<string, string>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await jobStates(database, ids);
    const open = ids.filter((id) => !FINAL_JOB_STATES.includes(states.get(id) as never));
    if (open.length === 0) return states;
    if (Date.now() > deadline) {
      throw new Error(`${open.length} of ${ids.length} jobs not final after ${timeoutMs} ms: ${open.slice(0, 10).map((id) => `${id}=${states.get(id) ?? 'MISSING'}`).join(', ')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
