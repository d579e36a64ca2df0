/**
 * A one-line progress bar on stderr for long runs: policy, percentage, jobs done and the simulated date.
 * Drawn only when the stream is a TTY (so logs and pipes stay clean), and redrawn at most once per percent
 * of jobs (the engine reports about 100 times a run), so it never slows the simulation down.
 */

/** The part of a stream the bar needs (process.stderr fits). */
export interface BarStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): boolean;
}

/** A progress bar; `update` and `done` are no-ops on a non-TTY stream. */
export interface ProgressBar {
  update(policy: string, p: { now: number; done: number; total: number }): void;
  /** Finish the line (a newline after the last redraw). */
  done(): void;
}

/** Create a progress bar writing to `stream`. */
export function createProgressBar(stream: BarStream): ProgressBar {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  let drawn = false;
  let last = '';
  return {
    update(policy, p) {
      // Each compared policy gets its own line.
      if (drawn && policy !== last) stream.write('\n');
      last = policy;
      const frac = p.total > 0 ? p.done / p.total : 1;
      const width = 30;
      const filled = Math.round(frac * width);
      const date = new Date(p.now).toISOString().slice(0, 16).replace('T', ' ');
      const line = `${policy} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${p.done}/${p.total} jobs  sim ${date}`;
      stream.write(`\r${line.slice(0, (stream.columns ?? 120) - 1)}\u001b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
