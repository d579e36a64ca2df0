/**
 * The shared ClusterAdapter contract against the real test Slurm (partition a100). Its walltime case waits
 * for Slurm to kill a job at a 1-minute limit (checked every 30 s), hence the long test timeout.
 */
import { describe, vi } from 'vitest';
import { runAdapterContract } from '../../helpers/adapter-contract.js';
import { slurmContractHarness, slurmGate } from './slurm-harness.js';

vi.setConfig({ testTimeout: 150_000, hookTimeout: 90_000 });

const gate = await slurmGate({ partitions: ['a100'] });

describe.runIf(gate.available)('slurm (real slurmctld + slurmrestd)', () => {
  runAdapterContract('slurm v0.0.38', slurmContractHarness);
});
