/**
 * A `SubmitJobRequest` as the REST body it mirrors, so gRPC submissions are validated by the same zod
 * schema (src/api/schemas/job-submit.ts) with the same defaults and messages. Proto3 cannot tell an empty
 * string or list from "not given", so empty values are left out and the REST default applies; `optional`
 * numbers keep an explicit 0, which the schema then refuses by name. Values the decoder could not map
 * (an enum number this server does not know) are passed on as they are, for the schema to refuse.
 */
import * as grpc from '@grpc/grpc-js';
import { DomainError } from '../../domain/errors.js';

/** Name of the metadata entry that may carry the idempotency key instead of the field. */
export const IDEMPOTENCY_METADATA = 'idempotency-key';

type Fields = Record<string, unknown>;

const isSet = (v: unknown) =>
  v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);

/** `QOS_HIGH` → `high`; the unspecified value means "the default"; anything else goes through unchanged. */
function qosOf(v: unknown): unknown {
  if (v === 'QOS_UNSPECIFIED' || v === 0) return undefined;
  return typeof v === 'string' && v.startsWith('QOS_') ? v.slice(4).toLowerCase() : v;
}

/** One GPU type is sent as a string (as REST does), several as a list. */
function gpuTypeOf(v: unknown): unknown {
  return Array.isArray(v) && v.length === 1 ? v[0] : v;
}

/** Proto field → REST body key, for the fields whose names differ. */
const SIM_KEYS = { duration_seconds: 'durationSeconds', exit_code: 'exitCode', gpu_util_pct: 'gpuUtilPct' } as const;
const NUMBER_KEYS = { nodes: 'nodes', gpus_per_node: 'gpusPerNode', cpus_per_node: 'cpusPerNode', memory_gb_per_node: 'memoryGbPerNode' } as const;

function simOf(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const s = v as Fields;
  const out: Fields = {};
  for (const [from, to] of Object.entries(SIM_KEYS)) if (s[from] !== undefined && s[from] !== null) out[to] = s[from];
  return out;
}

/** The REST body a decoded `SubmitJobRequest` stands for. */
export function submitBody(req: Fields): Fields {
  const body: Fields = {};
  const put = (key: string, value: unknown) => {
    if (isSet(value)) body[key] = value;
  };
  put('name', req.name);
  put('project', req.project);
  put('gpuType', gpuTypeOf(req.gpu_types));
  for (const [from, to] of Object.entries(NUMBER_KEYS)) if (req[from] !== undefined && req[from] !== null) body[to] = req[from];
  put('walltime', req.walltime);
  put('qos', qosOf(req.qos));
  put('preferredSite', req.preferred_site);
  put('image', req.image);
  put('command', req.command);
  put('script', req.script);
  put('env', req.env);
  // A sim block that was sent but is empty still counts: its duration is then reported as required.
  if (req.sim !== undefined && req.sim !== null) body.sim = simOf(req.sim);
  return body;
}

/**
 * The idempotency key from the field or the `idempotency-key` metadata (the gRPC spelling of REST's
 * header). Both may be given only if they agree.
 */
export function idempotencyKeyOf(req: Fields, metadata: grpc.Metadata): string | undefined {
  const field = typeof req.idempotency_key === 'string' && req.idempotency_key !== '' ? req.idempotency_key : undefined;
  const values = metadata.get(IDEMPOTENCY_METADATA);
  if (values.length > 1) {
    throw DomainError.invalid('send the idempotency-key metadata once', [{ path: 'idempotency_key', message: 'given more than once' }]);
  }
  const fromMetadata = values.length === 1 ? String(values[0]) : undefined;
  if (field !== undefined && fromMetadata !== undefined && field !== fromMetadata) {
    throw DomainError.invalid('idempotency_key and the idempotency-key metadata differ; send one of them', [{ path: 'idempotency_key', message: 'differs from the metadata' }]);
  }
  return field ?? fromMetadata;
}
