/** What a metering pass did, and the hooks that report it (NcgMetrics implements MeterObserver). */
import type { Discrepancy } from '../store/repositories/metering-discrepancies.js';
import type { AppendedRow } from '../store/repositories/metering-ledger.js';

/** Totals of one metering pass. */
export interface MeterReport {
  /** Windows whose measurement went into the ledger. */
  windowsMeasured: number;
  /** Windows left pending (Prometheus down, or gaps in its data). */
  windowsPending: number;
  /** Measured rows inserted (0 on a re-run). */
  rowsInserted: number;
  gpuSecondsMeasured: number;
  /** Reversal rows appended for estimates the measurements superseded. */
  reversals: number;
  /** GPU-seconds of estimates taken back (positive). */
  gpuSecondsReversed: number;
  /** Allocation estimate rows written for pending windows. */
  estimateRows: number;
  /** Discrepancies newly recorded. */
  discrepancies: number;
  /** Pending windows given up on (estimates final). */
  windowsExpired: number;
  errors: { clusterId: string; message: string }[];
  seconds: number;
}

/** A report with nothing in it. */
export function emptyReport(): MeterReport {
  return {
    windowsMeasured: 0, windowsPending: 0, rowsInserted: 0, gpuSecondsMeasured: 0, reversals: 0, gpuSecondsReversed: 0,
    estimateRows: 0, discrepancies: 0, windowsExpired: 0, errors: [], seconds: 0,
  };
}

/** Add `b`'s totals into `a`. */
export function addReport(a: MeterReport, b: MeterReport): MeterReport {
  return {
    windowsMeasured: a.windowsMeasured + b.windowsMeasured,
    windowsPending: a.windowsPending + b.windowsPending,
    rowsInserted: a.rowsInserted + b.rowsInserted,
    gpuSecondsMeasured: a.gpuSecondsMeasured + b.gpuSecondsMeasured,
    reversals: a.reversals + b.reversals,
    gpuSecondsReversed: a.gpuSecondsReversed + b.gpuSecondsReversed,
    estimateRows: a.estimateRows + b.estimateRows,
    discrepancies: a.discrepancies + b.discrepancies,
    windowsExpired: a.windowsExpired + b.windowsExpired,
    errors: [...a.errors, ...b.errors],
    seconds: a.seconds + b.seconds,
  };
}

/** Hooks the meter calls as it goes (metrics). */
export interface MeterObserver {
  /** Measured rows just inserted. */
  charged(rows: readonly AppendedRow[]): void;
  /** Discrepancies just recorded. */
  discrepancies(items: readonly Discrepancy[]): void;
  /** A cluster's query failed: Prometheus unavailable, or the query refused. */
  prometheusError(clusterId: string, kind: 'unavailable' | 'query'): void;
  /** A pass finished. */
  runFinished(report: MeterReport): void;
}
