/** The shared ClusterAdapter contract, run against the Kubernetes adapter over the in-process API server fake. */
import { runAdapterContract } from '../../helpers/adapter-contract.js';
import { fakeContractHarness } from './fake-harness.js';

// 100× real time: the contract's 60 s quick job takes 0.6 s, its 120 s walltime case 1.2 s.
runAdapterContract('kubernetes (API server fake, 100×)', () => fakeContractHarness(100));
