/**
 * One-at-a-time per key. Two submits of one idempotency key in this process run one after the other,
 * so the second sees the job the first made (Slurm itself has no unique constraint on comments).
 */

/** Serialises async work by key. */
export class KeyLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Run `fn` after every earlier call for `key` has settled. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(fn, fn);
    const settled = result.catch(() => undefined);
    this.tails.set(key, settled);
    void settled.then(() => {
      if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return result;
  }
}
