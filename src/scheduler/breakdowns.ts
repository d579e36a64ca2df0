/**
 * The priority breakdowns a cycle returns ("why is my job where it is"; ncg's `sprio`), as one flat table
 * rather than an object per job.
 *
 * A cycle considers the whole queue, so at 100,000 pending jobs a breakdown object and its factors object
 * per job were 200,000 allocations — a fifth of an L cycle, for values that already sit in the job table.
 * Readers ask for the entries they need (`at(k)` builds one `PriorityBreakdown` on demand); the control
 * loop reads a pending verdict's entry by its position, so nothing needs a map by job id either.
 */
import type { PriorityBreakdown } from './types.js';

/** Values per entry, in this order. */
const WIDTH = 5;

/** Breakdowns of every job the cycle considered, in walk order: entry k is the job at position k + 1. */
export class PriorityBreakdowns implements Iterable<PriorityBreakdown> {
  private ids?: string[];

  /**
   * @param order the job index at each entry (walk order)
   * @param idOf the job id of each job index
   * @param values row-major [priority, fairshare, age, qos, size] per job index (weighted factors; priority is
   *   their sum). Kept in job-index order so the cycle copies them front to back, not in the walk's random order.
   */
  constructor(
    private readonly order: Int32Array,
    private readonly idOf: readonly string[],
    private readonly values: Float64Array,
  ) {
    if (values.length !== idOf.length * WIDTH) throw new RangeError('breakdown values do not match the job ids');
    if (order.length > idOf.length) throw new RangeError('more breakdown entries than jobs');
  }

  /** A table of the given jobs in the given order (tests, and readers building one by hand). */
  static of(entries: readonly PriorityBreakdown[]): PriorityBreakdowns {
    const values = new Float64Array(entries.length * WIDTH);
    entries.forEach((e, k) => values.set([e.priority, e.factors.fairshare, e.factors.age, e.factors.qos, e.factors.size], k * WIDTH));
    return new PriorityBreakdowns(Int32Array.from(entries.keys()), entries.map((e) => e.jobId), values);
  }

  /** An empty table (a cycle with no pending jobs). */
  static empty(): PriorityBreakdowns {
    return new PriorityBreakdowns(new Int32Array(0), [], new Float64Array(0));
  }

  /** Number of entries. */
  get length(): number {
    return this.order.length;
  }

  /** The job id of every entry, in walk order (built on first use). */
  get jobIds(): readonly string[] {
    this.ids ??= Array.from(this.order, (i) => this.idOf[i]!);
    return this.ids;
  }

  /** The job id of entry k. */
  jobId(k: number): string {
    return this.idOf[this.index(k)]!;
  }

  /** The priority of entry k. */
  priority(k: number): number {
    return this.values[this.index(k) * WIDTH]!;
  }

  /** Entry k as an object. */
  at(k: number): PriorityBreakdown {
    const i = this.index(k);
    const b = i * WIDTH;
    const v = this.values;
    return { jobId: this.idOf[i]!, priority: v[b]!, factors: { fairshare: v[b + 1]!, age: v[b + 2]!, qos: v[b + 3]!, size: v[b + 4]! } };
  }

  /** Every entry as an object, in walk order (for small queues, tests and reports). */
  toArray(): PriorityBreakdown[] {
    return Array.from(this);
  }

  /** JSON as the list of entries, so logged or serialised decisions read as before. */
  toJSON(): PriorityBreakdown[] {
    return this.toArray();
  }

  *[Symbol.iterator](): Iterator<PriorityBreakdown> {
    for (let k = 0; k < this.length; k++) yield this.at(k);
  }

  /** The job index of entry k. */
  private index(k: number): number {
    if (!Number.isInteger(k) || k < 0 || k >= this.length) throw new RangeError(`no breakdown entry ${k} (there are ${this.length})`);
    return this.order[k]!;
  }
}

/** Width of one entry in the values array (for the job table that fills it). */
export const BREAKDOWN_WIDTH = WIDTH;
