/**
 * gRPC's richer error model: a `google.rpc.Status` in the `grpc-status-details-bin` trailer, carrying a
 * `google.rpc.BadRequest` (one FieldViolation per bad field) and a `google.rpc.ErrorInfo` (ncg's error
 * code). Clients in any language decode it with the standard googleapis protos; the human message stays
 * in the status message too.
 *
 * The three messages are tiny and fixed, so they are written here with a minimal protobuf wire writer
 * rather than loading googleapis .proto files at startup.
 */

/** One bad field, by its proto field path. */
export interface FieldViolation {
  field: string;
  description: string;
}

/** What goes into the details trailer. */
export interface StatusDetails {
  code: number;
  message: string;
  /** ncg's error code, e.g. `invalid` (ErrorInfo.reason, upper-cased as Google's convention asks). */
  reason: string;
  /** Extra key/value facts (ErrorInfo.metadata). */
  metadata?: Record<string, string>;
  violations?: FieldViolation[];
}

const TYPE_PREFIX = 'type.googleapis.com/';

function varint(n: number): Buffer {
  const out: number[] = [];
  // Negative int32 values are sign-extended to 10 bytes on the wire.
  let v = BigInt.asUintN(64, BigInt(n));
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return Buffer.from(out);
}

function lengthDelimited(field: number, payload: Buffer): Buffer {
  return Buffer.concat([varint((field << 3) | 2), varint(payload.length), payload]);
}

function text(field: number, s: string): Buffer {
  return s.length === 0 ? Buffer.alloc(0) : lengthDelimited(field, Buffer.from(s, 'utf8'));
}

function any(typeName: string, value: Buffer): Buffer {
  return Buffer.concat([text(1, TYPE_PREFIX + typeName), lengthDelimited(2, value)]);
}

function badRequest(violations: FieldViolation[]): Buffer {
  return Buffer.concat(violations.map((v) => lengthDelimited(1, Buffer.concat([text(1, v.field), text(2, v.description)]))));
}

function errorInfo(reason: string, metadata: Record<string, string>): Buffer {
  const entries = Object.entries(metadata).map(([k, v]) => lengthDelimited(3, Buffer.concat([text(1, k), text(2, v)])));
  return Buffer.concat([text(1, reason.toUpperCase()), text(2, 'ncg.grid'), ...entries]);
}

/** The serialized `google.rpc.Status` for the `grpc-status-details-bin` trailer. */
export function encodeStatusDetails(d: StatusDetails): Buffer {
  const details = [lengthDelimited(3, any('google.rpc.ErrorInfo', errorInfo(d.reason, d.metadata ?? {})))];
  if (d.violations && d.violations.length > 0) details.push(lengthDelimited(3, any('google.rpc.BadRequest', badRequest(d.violations))));
  return Buffer.concat([d.code === 0 ? Buffer.alloc(0) : Buffer.concat([varint(1 << 3), varint(d.code)]), text(2, d.message), ...details]);
}
