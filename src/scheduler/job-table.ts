/**
 * The pending queue as the hot loop sees it: one fixed-size numeric record per job, plus the job's id.
 *
 * The queue is walked in priority order, which is random with respect to where job objects (and the
 * entries of parallel arrays) live in memory. A 64-byte record per job — GPUs, walltime, flags and the
 * indices of its shape and parties — costs one cache miss per job where reading the job object, or eight
 * separate arrays, costs one per field; on a 100,000-job queue that difference is most of a cycle. The
 * priority breakdown lives in a second record, read once at the end.
 */
import type { Party } from './parties.js';
import type { Shape } from './shapes.js';

const STRIDE = 8;
const GPUS = 0;
const WALL = 1;
const PREEMPTIBLE = 2;
const SHAPE = 3;
const INST = 4;
const PROJ = 5;

/** What the walk needs of each pending job, by index in snapshot.pending. */
export class JobTable {
  private readonly rec: Float64Array;
  /** Per job: priority, then the weighted factors fairshare, age, qos, size (stride 8). */
  readonly weights: Float64Array;
  /** Priorities alone, contiguous, for the sort. */
  readonly priority: Float64Array;
  readonly id: string[];
  readonly preferredSiteId: (string | undefined)[];

  constructor(readonly n: number, private readonly shapes: readonly Shape[], private readonly parties: readonly Party[]) {
    this.rec = new Float64Array(n * STRIDE);
    this.weights = new Float64Array(n * STRIDE);
    this.priority = new Float64Array(n);
    this.id = new Array<string>(n);
    this.preferredSiteId = new Array<string | undefined>(n);
  }

  /** Fill record `i`. */
  set(i: number, id: string, gpus: number, wallSeconds: number, preemptible: boolean, shape: Shape, inst: Party, proj: Party, site: string | undefined): void {
    const b = i * STRIDE;
    const r = this.rec;
    r[b + GPUS] = gpus;
    r[b + WALL] = wallSeconds;
    r[b + PREEMPTIBLE] = preemptible ? 1 : 0;
    r[b + SHAPE] = shape.index;
    r[b + INST] = inst.index;
    r[b + PROJ] = proj.index;
    this.id[i] = id;
    this.preferredSiteId[i] = site;
  }

  /** Record the weighted factors of job `i`. */
  setWeights(i: number, fairshare: number, age: number, qos: number, size: number): void {
    const b = i * STRIDE;
    const priority = fairshare + age + qos + size;
    this.weights[b] = priority;
    this.weights[b + 1] = fairshare;
    this.weights[b + 2] = age;
    this.weights[b + 3] = qos;
    this.weights[b + 4] = size;
    this.priority[i] = priority;
  }

  gpus(i: number): number {
    return this.rec[i * STRIDE + GPUS]!;
  }

  wallSeconds(i: number): number {
    return this.rec[i * STRIDE + WALL]!;
  }

  preemptible(i: number): boolean {
    return this.rec[i * STRIDE + PREEMPTIBLE] === 1;
  }

  shape(i: number): Shape {
    return this.shapes[this.rec[i * STRIDE + SHAPE]!]!;
  }

  inst(i: number): Party {
    return this.parties[this.rec[i * STRIDE + INST]!]!;
  }

  proj(i: number): Party {
    return this.parties[this.rec[i * STRIDE + PROJ]!]!;
  }
}
