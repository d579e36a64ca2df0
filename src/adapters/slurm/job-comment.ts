/**
 * The Slurm job comment carries ncg's identity of a job: its ncg job id and the idempotency key of the
 * dispatch attempt. Before each submit the adapter looks for a job carrying the key, so a crash between
 * submit and acknowledgement never makes a second Slurm job. Values are URI-encoded so a key with spaces
 * or `=` cannot spill into the next field.
 */

/** What ncg writes into a Slurm job's comment. */
export interface NcgJobTag {
  idempotencyKey: string;
  jobId: string;
}

/** The comment for a job: `ncg-key=<key> ncg-job=<jobId>`. */
export function encodeJobComment(tag: NcgJobTag): string {
  return `ncg-key=${encodeURIComponent(tag.idempotencyKey)} ncg-job=${encodeURIComponent(tag.jobId)}`;
}

/** The tag in a comment, or undefined for jobs ncg did not submit. */
export function decodeJobComment(comment: string): NcgJobTag | undefined {
  const key = /(?:^|\s)ncg-key=(\S+)/.exec(comment ?? '')?.[1];
  const job = /(?:^|\s)ncg-job=(\S+)/.exec(comment ?? '')?.[1];
  if (key === undefined || job === undefined) return undefined;
  try {
    return { idempotencyKey: decodeURIComponent(key), jobId: decodeURIComponent(job) };
  } catch {
    return undefined; // a malformed escape: not ours
  }
}

/** The Slurm job name ncg uses: readable in squeue, carrying the ncg job id. */
export function jobNameFor(jobId: string): string {
  return `ncg-${jobId}`;
}
