/**
 * The pending queue as the hot loop sees it: one fixed-size numeric record per job, plus the job's id.
 *
 * The queue is walked in priority order, which is random with respect to where job objects (and the
 * entries of parallel arrays) live in memory. One 96-byte record per job — GPUs, walltime, flags, the
 * indices of its shape and parties, then its weighted priority factors — costs one or two cache misses per
 * job where reading the job object, or a dozen separate arrays, costs one per field; on a 100,000-job queue
 * that difference is most of a cycle. The arrays are reused across cycles (scratch.ts); `set` and
 * `setWeights` write every field that is read.
 */
import type { Party } from './parties.js';
import { scratchF64, Slot } from './scratch.js';
import type { Shape } from './shapes.js';
import { BREAKDOWN_WIDTH, PriorityBreakdowns } from './breakdowns.js';

const STRIDE = 12;
const GPUS = 0;
const WALL = 1;
const PREEMPTIBLE = 2;
const SHAPE = 3;
const INST = 4;
const PROJ = 5;
const WEIGHTS = 6;
/** Epoch ms until which the job may not borrow (a reclaim cooldown); 0 when it may. */
const NO_BORROW_UNTIL = 11;

/** What the walk needs of each pending job, by index in snapshot.pending. */
export class JobTable {
  private readonly rec: Float64Array;
  /** Priorities and submit times alone, contiguous, for the sort. */
  readonly priority: Float64Array;
  readonly submitted: Float64Array;
  readonly id: string[];

  constructor(readonly n: number, private readonly shapes: readonly Shape[], private readonly parties: readonly Party[]) {
    this.rec = scratchF64(Slot.JobRecords, n * STRIDE);
    this.priority = scratchF64(Slot.Priority, n);
    this.submitted = scratchF64(Slot.Submitted, n);
    this.id = new Array<string>(n);
  }

  /** Fill record `i`. */
  set(i: number, id: string, submittedAt: number, gpus: number, wallSeconds: number, preemptible: boolean, shape: Shape, inst: Party, proj: Party, noBorrowUntil: number): void {
    const b = i * STRIDE;
    const r = this.rec;
    r[b + NO_BORROW_UNTIL] = noBorrowUntil;
    r[b + GPUS] = gpus;
    r[b + WALL] = wallSeconds;
    r[b + PREEMPTIBLE] = preemptible ? 1 : 0;
    r[b + SHAPE] = shape.index;
    r[b + INST] = inst.index;
    r[b + PROJ] = proj.index;
    this.id[i] = id;
    this.submitted[i] = submittedAt;
  }

  /** Record the weighted factors of job `i`. */
  setWeights(i: number, fairshare: number, age: number, qos: number, size: number): void {
    const b = i * STRIDE + WEIGHTS;
    const priority = fairshare + age + qos + size;
    const r = this.rec;
    r[b] = priority;
    r[b + 1] = fairshare;
    r[b + 2] = age;
    r[b + 3] = qos;
    r[b + 4] = size;
    this.priority[i] = priority;
  }

  /**
   * The priority breakdowns of the jobs at `order`, in that order. The weighted factors are copied front to
   * back into fresh memory (the records are reused by the next cycle); `order` and the ids are this cycle's
   * own arrays, so they are kept rather than copied.
   */
  breakdowns(order: Int32Array): PriorityBreakdowns {
    const n = this.n;
    const values = new Float64Array(n * BREAKDOWN_WIDTH);
    const r = this.rec;
    for (let i = 0, b = WEIGHTS, o = 0; i < n; i++, b += STRIDE, o += BREAKDOWN_WIDTH) {
      values[o] = r[b]!;
      values[o + 1] = r[b + 1]!;
      values[o + 2] = r[b + 2]!;
      values[o + 3] = r[b + 3]!;
      values[o + 4] = r[b + 4]!;
    }
    return new PriorityBreakdowns(order, this.id, values);
  }

  /** Epoch ms until which job `i` may not borrow (0: it may). */
  noBorrowUntil(i: number): number {
    return this.rec[i * STRIDE + NO_BORROW_UNTIL]!;
  }

  /** GPUs of the whole gang. */
  gpus(i: number): number {
    return this.rec[i * STRIDE + GPUS]!;
  }

  /** Walltime limit, seconds. */
  wallSeconds(i: number): number {
    return this.rec[i * STRIDE + WALL]!;
  }

  /** QoS `preemptible`? */
  preemptible(i: number): boolean {
    return this.rec[i * STRIDE + PREEMPTIBLE] === 1;
  }

  /** The job's shape (shared by all jobs of that shape). */
  shape(i: number): Shape {
    return this.shapes[this.rec[i * STRIDE + SHAPE]!]!;
  }

  /** The job's institution. */
  inst(i: number): Party {
    return this.parties[this.rec[i * STRIDE + INST]!]!;
  }

  /** The job's project. */
  proj(i: number): Party {
    return this.parties[this.rec[i * STRIDE + PROJ]!]!;
  }
}
