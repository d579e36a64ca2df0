/**
 * Cluster health samples are pruned: "up" samples older than the retention go, samples of a cluster down
 * stay for ever (KPIs read the down time of any period from them), and recent samples stay.
 */
import { beforeAll, expect, it } from 'vitest';
import { downSeconds } from '../../../src/store/repositories/kpi-dimensions.js';
import { healthHistory, pruneHealthSamples, recordHealthSamples, type HealthSample } from '../../../src/store/repositories/cluster-health.js';
import { writeGridSeed } from '../../../src/store/index.js';
import { describeEachStore } from '../../helpers/db.js';
import { gridFixture } from '../../helpers/grid-fixture.js';

const DAY = 86_400_000;
const now = Date.UTC(2026, 10, 28);

function sample(at: number, up: boolean): HealthSample {
  return { clusterId: 'isb-k8s', at, state: up ? 'active' : 'offline', reachable: true, nodesTotal: 4, nodesHealthy: 4, gpusTotal: 32, gpusFree: 8, intervalSeconds: 300 };
}

describeEachStore('cluster health samples: pruning', (getDb) => {
  beforeAll(async () => {
    await writeGridSeed(getDb(), gridFixture(1));
  });

  it('drops old up samples, keeps old down samples and everything recent', async () => {
    const db = getDb();
    const old = now - 200 * DAY;
    await recordHealthSamples(db, [sample(old, true), sample(old + 300_000, false), sample(old + 600_000, true), { ...sample(old + 900_000, true), reachable: false }, sample(now - DAY, true), sample(now - 1_000, false)]);
    const downBefore = await downSeconds(db, old - DAY, now);
    expect(await pruneHealthSamples(db, now - 90 * DAY)).toBe(2);
    const left = await healthHistory(db, 'isb-k8s', old - DAY, now + 1);
    expect(left.map((s) => [s.at - old, s.state, s.reachable])).toEqual([
      [300_000, 'offline', true],
      [900_000, 'active', false],
      [now - DAY - old, 'active', true],
      [now - 1_000 - old, 'offline', true],
    ]);
    expect(await downSeconds(db, old - DAY, now)).toEqual(downBefore);
    expect(await pruneHealthSamples(db, now - 90 * DAY)).toBe(0);
  });
});
