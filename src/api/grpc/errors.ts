/**
 * The one place a thrown value becomes a gRPC status. Domain errors map through `grpcStatusOf` (the same
 * table REST's statuses come from, so both transports agree); their message says what to fix, with bad
 * fields named by their proto names (`gpus_per_node`, not the REST body's `gpusPerNode`). Anything else
 * is a bug: it is logged with its stack and answered INTERNAL without leaking internals.
 */
import * as grpc from '@grpc/grpc-js';
import { isDomainError, type FieldIssue } from '../../domain/errors.js';
import { grpcStatusOf } from '../../domain/error-status.js';
import { encodeStatusDetails } from './status-details.js';
import { databaseUnavailableError } from '../../store/connection-errors.js';

/** Logs unexpected failures. */
export interface ErrorLog {
  error(obj: object, msg: string): void;
}

// REST body keys whose proto field name is not just the snake_case spelling.
const RENAMED: Record<string, string> = { gpuType: 'gpu_types', 'Idempotency-Key': 'idempotency_key' };

/** Bad fields named in the status message; all of them (up to 50) are in the BadRequest details. */
const MAX_NAMED = 20;

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A dotted REST path (`sim.durationSeconds`, `env.MY_VAR`) as the proto field path (`sim.duration_seconds`). */
export function protoFieldPath(path: string): string {
  if (path === '(body)') return path;
  const [head = '', ...rest] = path.split('.');
  // Environment names and list indices are data, not field names: keep them as given.
  if (head === 'env' || head === 'command') return [head, ...rest].join('.');
  const field = (p: string) => (/^[a-z][A-Za-z0-9]*$/.test(p) ? snake(p) : p);
  return [RENAMED[head] ?? field(head), ...rest.map(field)].join('.');
}

function issuesOf(details: Record<string, unknown> | undefined): FieldIssue[] {
  const issues = details?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.filter((i): i is FieldIssue => typeof i?.path === 'string' && typeof i?.message === 'string');
}

/**
 * The message with REST paths swapped for proto paths. zod failures read "<what> is not valid — a: …; b: …"
 * (src/api/schemas/zod-issues.ts); that tail is rebuilt from the issues so every bad field is named.
 */
function grpcMessage(message: string, issues: FieldIssue[]): string {
  if (issues.length === 0) return message;
  const cut = message.indexOf(' — ');
  const head = cut >= 0 ? message.slice(0, cut) : message;
  const named = issues.slice(0, MAX_NAMED).map((i) => `${protoFieldPath(i.path)}: ${i.message}`);
  const more = issues.length > MAX_NAMED ? `; and ${issues.length - MAX_NAMED} more (all are in the BadRequest details)` : '';
  return `${head} — ${named.join('; ')}${more}`;
}

/** Scalar details as text for ErrorInfo.metadata (nested values as JSON, clipped). */
function metadataOf(details: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(details ?? {})) {
    if (k === 'issues' || v === undefined) continue;
    // A `field` detail names a REST body key; say it the proto way.
    const s = typeof v === 'string' ? (k === 'field' ? protoFieldPath(v) : v) : JSON.stringify(v);
    out[k] = s.length > 2_000 ? `${s.slice(0, 2_000)}…` : s;
  }
  return out;
}

/** A ready-to-send status with the given code and message (and no details trailer). */
export function plainStatus(code: grpc.status, details: string): Partial<grpc.StatusObject> {
  return { code, details, metadata: new grpc.Metadata() };
}

/** Map anything thrown by a handler to the status the client receives. */
export function toServiceError(thrown: unknown, log: ErrorLog, method: string): Partial<grpc.StatusObject> {
  // A lost database: UNAVAILABLE, which gRPC clients retry, rather than INTERNAL.
  const err = databaseUnavailableError(thrown) ?? thrown;
  if (!isDomainError(err)) {
    log.error({ err, method }, 'gRPC call failed');
    return plainStatus(grpc.status.INTERNAL, 'internal error; the server log has the details');
  }
  const code = grpcStatusOf[err.code] as grpc.status;
  const issues = issuesOf(err.details);
  const message = grpcMessage(err.message, issues);
  const metadata = new grpc.Metadata();
  metadata.set('ncg-error-code', err.code);
  const trailer = encodeStatusDetails({
    code,
    message,
    reason: err.code,
    metadata: metadataOf(err.details),
    violations: issues.map((i) => ({ field: protoFieldPath(i.path), description: i.message })),
  });
  metadata.set('grpc-status-details-bin', trailer);
  return { code, details: message, metadata };
}
