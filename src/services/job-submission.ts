/**
 * Pure pieces of submission: the idempotency key's shape, turning a validated body into a JobSpec, and
 * deciding whether a retry carries the same request as the job its key already names.
 */
import { DomainError } from '../domain/errors.js';
import type { JobSpec } from '../domain/types.js';
import type { JobSubmit } from '../api/schemas/job-submit.js';

/** Visible ASCII, 1–200 characters: what the jobs table's client_key column accepts, and what clients send (UUIDs, hashes). */
const KEY_SHAPE = /^[\x21-\x7e]{1,200}$/;

/** The idempotency key, checked; undefined when none was sent. */
export function checkIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  if (!KEY_SHAPE.test(key)) {
    throw DomainError.invalid('Idempotency-Key must be 1–200 visible ASCII characters (a UUID is a good choice)', [
      { path: 'Idempotency-Key', message: 'expected 1–200 visible ASCII characters' },
    ]);
  }
  return key;
}

/** The JobSpec of a validated body, with GPU types as the pools spell them. */
export function toJobSpec(body: JobSubmit, gpuTypes: string[]): JobSpec {
  const spec: JobSpec = {
    name: body.name,
    projectId: body.project,
    gpuTypes,
    nodes: body.nodes,
    gpusPerNode: body.gpusPerNode,
    cpusPerNode: body.cpusPerNode,
    memoryGbPerNode: body.memoryGbPerNode,
    walltimeSeconds: body.walltime,
    qos: body.qos,
  };
  if (body.preferredSite !== undefined) spec.preferredSiteId = body.preferredSite;
  if (body.image !== undefined) spec.image = body.image;
  if (body.command !== undefined) spec.command = body.command;
  if (body.script !== undefined) spec.script = body.script;
  if (body.env !== undefined) spec.env = body.env;
  if (body.sim !== undefined) {
    spec.sim = { durationSeconds: body.sim.durationSeconds };
    if (body.sim.exitCode !== undefined) spec.sim.exitCode = body.sim.exitCode;
    if (body.sim.gpuUtilPct !== undefined) spec.sim.gpuUtilPct = body.sim.gpuUtilPct;
  }
  return spec;
}

/** JSON with object keys sorted at every level: jsonb reorders keys, so plain JSON.stringify would not compare. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** True when two specs ask for the same thing (a retry rather than a different job under a reused key). */
export function sameSpec(a: JobSpec, b: JobSpec): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** The 409 for a key reused with a different body. */
export function keyReused(key: string, jobId: string): DomainError {
  return new DomainError(
    'conflict',
    `Idempotency-Key ${JSON.stringify(key)} was already used for job ${jobId} with a different body; send a new key for a new job`,
    { idempotencyKey: key, jobId },
  );
}
