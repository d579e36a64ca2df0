/**
 * How slurmrestd failures become the port's two errors. slurmrestd answers most failures with HTTP 500
 * and an `errors[]` list (slurm errno + text), so the list decides, not the status alone:
 * a job Slurm will never accept here is a ClusterRefusedError (the scheduler places it elsewhere);
 * anything that may pass — unreachable, 401, expired token, controller trouble — is a
 * SlurmUnavailableError with a backoff hint.
 */
import { ClusterRefusedError, ClusterUnavailableError } from '../port.js';

/** One entry of slurmrestd's `errors[]`. */
export interface SlurmApiError {
  /** Slurm errno (`error_code` in some answers, `error_number` in others). */
  code?: number;
  message: string;
}

/** Slurm errnos the adapter acts on (slurm/slurm_errno.h). */
export const SlurmErrno = {
  invalidJobId: 2017,
  alreadyDone: 2021,
  /** "Zero Bytes were transmitted or received": one face of a rejected token through REST. */
  zeroBytes: 5005,
  /** "Unspecified error": the other face — 22.05 answers an expired or forged token with it (slurmctld logs why). */
  unspecified: -1,
} as const;

// Errnos in slurm's 2000 range that describe a passing condition, not a bad request.
const transientSlurmErrnos = new Set([
  2007, // ESLURM_ERROR_ON_DESC_TO_RECORD_COPY
  2019, // ESLURM_WRITING_TO_FILE
  2022, // ESLURM_INTERCONNECT_FAILURE
  2027, // ESLURM_IN_STANDBY_MODE
]);

/** Reads `errors[]` of a slurmrestd body (tolerates absent or odd shapes). */
export function readSlurmErrors(body: unknown): SlurmApiError[] {
  const list = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(list)) return [];
  return list.map((e: Record<string, unknown>) => {
    const raw = e?.error_code ?? e?.error_number ?? e?.errno;
    const code = typeof raw === 'number' ? raw : undefined;
    const message = String(e?.error ?? e?.description ?? 'unknown error');
    return code === undefined ? { message } : { code, message };
  });
}

/** One line for messages: `2014 Requested node configuration is not available; …`. */
export function describeSlurmErrors(errors: SlurmApiError[]): string {
  return errors.map((e) => (e.code === undefined ? e.message : `${e.code} ${e.message}`)).join('; ');
}

/** True when the request itself is what Slurm rejects: retrying it unchanged on this cluster is pointless. */
export function isPermanentRefusal(status: number, errors: SlurmApiError[]): boolean {
  if (status === 400) return true; // the body did not parse against the API: the same body never will
  return errors.some((e) => e.code !== undefined && e.code >= 2000 && e.code < 3000 && !transientSlurmErrnos.has(e.code));
}

/**
 * True when the token may have been refused: 401, or the errnos an expired or forged token turns into on
 * 22.05 (slurmrestd passes the token through; only slurmctld's log says `token expired`).
 */
export function isAuthFailure(status: number, errors: SlurmApiError[]): boolean {
  return status === 401 || errors.some((e) => e.code === SlurmErrno.zeroBytes || e.code === SlurmErrno.unspecified);
}

/** The cluster cannot serve now; `retryAfterMs` says when trying again makes sense. */
export class SlurmUnavailableError extends ClusterUnavailableError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
    readonly status?: number,
    readonly slurmErrors: SlurmApiError[] = [],
  ) {
    super(message);
  }
}

/** slurmrestd speaks no API version this adapter supports: unavailable until upgraded or configured. */
export class SlurmVersionError extends SlurmUnavailableError {}

/** The cluster refuses this job for good; `slurmErrors` carries Slurm's own words. */
export class SlurmRefusedError extends ClusterRefusedError {
  constructor(
    message: string,
    readonly slurmErrors: SlurmApiError[] = [],
  ) {
    super(message);
  }
}

/**
 * Counts consecutive failures and turns them into a backoff hint (initial · 2^(n−1), capped).
 * One success resets it.
 */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
  ) {}

  /** Record a failure; returns how long to wait before the next attempt. */
  fail(): number {
    this.failures += 1;
    return Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.failures - 1, 30));
  }

  /** Record a success. */
  succeed(): void {
    this.failures = 0;
  }

  /** Consecutive failures so far. */
  get consecutiveFailures(): number {
    return this.failures;
  }
}
