/** The shared ClusterAdapter contract, run against the sim adapter on both of its clocks. */
import { runAdapterContract } from '../../helpers/adapter-contract.js';
import { manualClockHarness, scaledClockHarness } from './sim-harness.js';

runAdapterContract('sim (manual clock)', manualClockHarness);

// 500× real time: a 60 s quick job takes 120 ms, the 120 s walltime case 240 ms.
runAdapterContract('sim (scaled clock, 500×)', () => scaledClockHarness(500));
