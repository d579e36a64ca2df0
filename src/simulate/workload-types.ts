/**
 * Workloads as the parsers and generators produce them (trace-level), before they are mapped onto a grid.
 * Times here are seconds relative to the trace start; the mapping step turns them into epoch ms.
 */

/** One job record of a trace or generator, in the trace's own terms. */
export interface RawJob {
  /** Stable id from the source (SWF job number, CSV row, generator index). */
  id: string;
  /** Seconds since the trace start. */
  submitSeconds: number;
  /** How long the job really ran, seconds (> 0). */
  runSeconds: number;
  /** Requested limit, seconds; undefined means "use the run time". */
  walltimeSeconds?: number;
  /** Requested size: processors (SWF, mapped to GPUs by a factor) or GPUs (CSV, synthetic). */
  size: number;
  sizeUnit: 'processors' | 'gpus';
  /** Explicit gang shape (CSV `nodes`); otherwise derived from the size and the grid's node sizes. */
  nodes?: number;
  /** GPU type asked for; undefined or `any` accepts every type. */
  gpuType?: string;
  /** Explicit institution id (CSV, synthetic); SWF records carry a group instead. */
  institution?: string;
  /** Trace user (SWF user id, CSV user, generator user). */
  user?: string;
  /** Trace group (SWF group id): mapped to an institution. */
  group?: string;
}

/** Counts of records a parser left out, by reason (stated in the report). */
export type SkipCounts = Record<string, number>;

/** A parsed workload. */
export interface Workload {
  /** Where it came from: `swf`, `csv` or `synthetic`. */
  format: 'swf' | 'csv' | 'synthetic';
  /** Epoch ms of trace second 0 (SWF header UnixStartTime, generator `start`, else 2025-01-01T00:00:00Z). */
  startEpochMs: number;
  jobs: RawJob[];
  /** Largest machine size the trace declares (SWF MaxProcs), used to scale processors onto GPUs. */
  maxProcessors?: number;
  /** Records left out by rule (e.g. never ran) — always counted, also without --lenient. */
  skipped: SkipCounts;
  /** Malformed lines skipped under --lenient (0 otherwise: strict parsing throws). */
  malformed: number;
}

/** The default trace epoch when the source gives none: 2025-01-01T00:00:00Z. */
export const DEFAULT_START_EPOCH_MS = Date.UTC(2025, 0, 1);

/** Add one to a skip counter. */
export function countSkip(skipped: SkipCounts, reason: string): void {
  skipped[reason] = (skipped[reason] ?? 0) + 1;
}
