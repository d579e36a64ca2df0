/**
 * A piecewise-constant series over simulated time (GPUs allocated, GPUs demanded), recorded at change
 * points and integrated over report buckets afterwards — so the bucket width can be chosen once the
 * makespan is known, and recording costs O(1) per change.
 */

/** Change points of a step function: value `values[i]` holds from `times[i]` to `times[i + 1]`. */
export class StepSeries {
  readonly times: number[] = [];
  readonly values: number[] = [];
  private current = 0;

  /** The value now. */
  get value(): number {
    return this.current;
  }

  /** Add `delta` to the value from `t` on (several changes at one instant collapse into one point). */
  add(t: number, delta: number): void {
    this.current += delta;
    const n = this.times.length;
    if (n > 0 && this.times[n - 1] === t) this.values[n - 1] = this.current;
    else {
      this.times.push(t);
      this.values.push(this.current);
    }
  }

  /**
   * Integrate over `count` buckets of `width` ms from `start`: value·ms per bucket, plus whether the value
   * was ever positive inside each bucket (for "had demand in this window").
   */
  integrate(start: number, width: number, count: number): { area: Float64Array; positive: Uint8Array } {
    const area = new Float64Array(count);
    const positive = new Uint8Array(count);
    const end = start + width * count;
    for (let i = 0; i < this.times.length; i++) {
      const v = this.values[i]!;
      if (v === 0) continue;
      const from = Math.max(this.times[i]!, start);
      const to = Math.min(this.times[i + 1] ?? end, end);
      if (to <= from) continue;
      let b = Math.floor((from - start) / width);
      for (let t = from; t < to && b < count; b++) {
        const bucketEnd = start + (b + 1) * width;
        const seg = Math.min(to, bucketEnd) - t;
        area[b] = area[b]! + v * seg;
        positive[b] = 1;
        t = bucketEnd;
      }
    }
    return { area, positive };
  }
}
