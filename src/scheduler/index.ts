/**
 * The pure scheduling core (DESIGN §5): `runCycle(snapshot) → decisions`, the policies, the decayed-usage
 * accumulator the control loop keeps, and the rules' building blocks for explanations and tests.
 */
export * from './types.js';
export { runCycle } from './cycle.js';
export { defaultPolicy, fifoPolicy, fairshareNoBackfillPolicy } from './policy.js';
export { addInterval, addUsage, decayFactor, decayTo, zeroDecayed, type DecayedValue } from './decay.js';
export { computeFairTree, jobFairShare, levelFairShare, type FairTree } from './fairshare.js';
export { scheduleOrder, weighFactors, type PriorityContext, type WeightedFactors } from './priority.js';
export { jobCostGpuSeconds } from './budgets.js';
export { PriorityBreakdowns } from './breakdowns.js';
