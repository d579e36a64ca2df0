/**
 * The same adapter contract against a real k3s cluster in Docker. No Docker engine can run on this
 * machine kind, so the suite skips with a banner here — also under NCG_REQUIRE_SERVICES=1, where other
 * missing services fail the run — and runs wherever a Docker engine answers.
 */
import { afterAll, beforeAll, describe, vi } from 'vitest';
import { runAdapterContract } from '../../helpers/adapter-contract.js';
import { requireService } from '../../helpers/require-service.js';
import { pingDocker } from './docker-probe.js';
import type { K3sCluster } from './k3s-harness.js';

const docker = await requireService('k3s (Docker engine)', () => pingDocker(), {
  optionalEvenInCi: true,
  timeoutMs: 3000,
  hint: 'the k3s contract suite needs a Docker engine (testcontainers runs rancher/k3s); this machine kind has none',
});

// Loaded only when it will run: testcontainers and the client take seconds to import.
const harness = docker.available ? await import('./k3s-harness.js') : undefined;

describe.runIf(harness !== undefined)('kubernetes adapter on k3s (testcontainers)', () => {
  // Real pods pull busybox and sleep in real time.
  vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
  // The body is collected even when skipped, so nothing here may touch the (unloaded) harness.
  let cluster: K3sCluster | undefined;
  beforeAll(async () => {
    cluster = new harness!.K3sCluster();
    await cluster.start();
  }, 300_000);
  afterAll(() => cluster?.stop(), 120_000);
  runAdapterContract('kubernetes (k3s)', async () => cluster!.harness());
});
