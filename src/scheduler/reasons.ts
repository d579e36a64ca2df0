/**
 * Pending reasons (DESIGN §5.8): every job left pending gets exactly one verdict, checked in this order —
 *   InvalidRequest / GpuTypeUnavailable / ClusterUnavailable  (the shape can never run on the grid as it is)
 *   BudgetExhausted                                            (its budget cannot cover GPUs × walltime)
 *   ConcurrentLimit                                            (a concurrent-GPU cap, or borrowing forbidden)
 *   Reserved                                                   (blocked, but holds a reservation: startAt)
 *   Resources                                                  (no pool has room for the gang now, or GPUs
 *                                                               are being reclaimed for it)
 *   Priority                                                   (room exists, but it is promised to
 *                                                               higher-priority jobs' reservations, or a
 *                                                               higher job waits for the same pools)
 * Messages shared by many jobs are built once per shape and reused, so a 100,000-job queue does not build
 * 100,000 sentences.
 */
import type { Party } from './parties.js';
import type { ReclaimPlan } from './reclaim.js';
import type { ReservationPlan } from './backfill.js';
import type { Shape } from './shapes.js';
import { label } from './shapes.js';
import type { PendingReason, PendingVerdict } from './types.js';

/** A verdict record. */
export function verdict(jobId: string, reason: PendingReason, position: number, message: string, estimatedStart?: number): PendingVerdict {
  const v: PendingVerdict = { jobId, reason, position, message };
  if (estimatedStart !== undefined) v.estimatedStart = estimatedStart;
  return v;
}

/** ISO-8601 UTC for messages (from the snapshot's instants, never the clock). */
export function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : 'never';
}

function describe(shape: Shape): string {
  const types = shape.gpuTypes.includes('any') ? 'any type' : shape.gpuTypes.join(' or ');
  return `${shape.nodes} node(s) × ${shape.gpusPerNode} GPU(s) of ${types}`;
}

/** `Resources`: no candidate pool has room for the gang now. */
export function resourcesMessage(shape: Shape): string {
  return shape.text.resources ??= `waiting for resources: no pool has ${describe(shape)} free now; it starts when running jobs end`;
}

/** `Priority`: room exists but is promised to higher-priority jobs. */
export function priorityMessage(shape: Shape, strict: boolean): string {
  if (strict) {
    return shape.text.strict ??= `waiting for priority: a higher-priority job is waiting for the pools that could run ${describe(shape)} (strict priority order)`;
  }
  return shape.text.priority ??= `waiting for priority: GPUs for ${describe(shape)} are free, but held for higher-priority jobs' reservations; a shorter walltime could start it sooner`;
}

/** `Reserved`: a promised start. */
export function reservedMessage(plan: ReservationPlan): string {
  return `reserved on pool ${label(plan.pool)} from ${iso(plan.startAt)}, when running jobs' walltimes free its GPUs; lower-priority jobs start only if they cannot delay it`;
}

/** `Resources` with a reclaim under way. */
export function reclaimMessage(plan: ReclaimPlan): string {
  const gpus = plan.victims.reduce((s, v) => s + v.job.nodes * v.job.gpusPerNode, 0);
  return `GPUs are being reclaimed: ${plan.victims.length} borrowed job(s) (${gpus} GPUs) on pool ${label(plan.pool)} are preempted for it; it starts next cycle`;
}

/** `ConcurrentLimit` because the job was preempted moments ago and may not borrow again yet (reclaim cooldown). */
export function cooldownMessage(until: number): string {
  return `preempted recently to give GPUs back: it may run on lent (borrowed) GPUs again from ${iso(until)}, or sooner within its institution's share`;
}

/** `ConcurrentLimit` because running above nominal share is not allowed (built once per institution). */
export function noBorrowMessage(inst: Party, nominal: number): string {
  return inst.noBorrowText ??= `institution ${inst.id} is at its nominal share (${Math.floor(nominal)} GPUs) and may not borrow idle GPUs`;
}
