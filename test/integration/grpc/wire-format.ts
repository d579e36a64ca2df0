/**
 * A tiny protobuf wire writer for fuzzing: it encodes arbitrary (field number, wire type, payload) triples,
 * so a test can send what no generated client would — a string where an int32 belongs, an out-of-range
 * varint, a truncated field — straight to the server.
 */
import fc from 'fast-check';

/** One field as it appears on the wire. */
export type WireField =
  | { no: number; wire: 0; value: bigint }
  | { no: number; wire: 1; bytes: Uint8Array }
  | { no: number; wire: 2; bytes: Uint8Array }
  | { no: number; wire: 5; bytes: Uint8Array };

/** Unsigned LEB128 of a 64-bit value. */
export function varint(v: bigint): number[] {
  const out: number[] = [];
  let n = BigInt.asUintN(64, v);
  do {
    let byte = Number(n & 0x7fn);
    n >>= 7n;
    if (n !== 0n) byte |= 0x80;
    out.push(byte);
  } while (n !== 0n);
  return out;
}

/** Encode fields in order (repeats allowed, as on the wire). */
export function encodeFields(fields: WireField[]): Buffer {
  const out: number[] = [];
  for (const f of fields) {
    out.push(...varint(BigInt((f.no << 3) | f.wire)));
    if (f.wire === 0) out.push(...varint(f.value));
    else if (f.wire === 2) out.push(...varint(BigInt(f.bytes.length)), ...f.bytes);
    else out.push(...f.bytes);
  }
  return Buffer.from(out);
}

const text = fc.string({ unit: 'binary', maxLength: 80 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8')));

/** One arbitrary field with a number near SubmitJobRequest's (1–15, 20, and some unknown ones). */
export const wireFieldArb: fc.Arbitrary<WireField> = fc.oneof(
  fc.record({ no: fc.integer({ min: 1, max: 25 }), wire: fc.constant(0 as const), value: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }) }),
  fc.record({ no: fc.integer({ min: 1, max: 25 }), wire: fc.constant(1 as const), bytes: fc.uint8Array({ minLength: 8, maxLength: 8 }) }),
  fc.record({ no: fc.integer({ min: 1, max: 25 }), wire: fc.constant(2 as const), bytes: fc.oneof(text, fc.uint8Array({ maxLength: 64 })) }),
  fc.record({ no: fc.integer({ min: 1, max: 25 }), wire: fc.constant(5 as const), bytes: fc.uint8Array({ minLength: 4, maxLength: 4 }) }),
);

/** A message of arbitrary fields, sometimes cut short (a truncated frame body). */
export const wireMessageArb: fc.Arbitrary<Buffer> = fc
  .tuple(fc.array(wireFieldArb, { maxLength: 12 }), fc.option(fc.nat(), { nil: undefined }))
  .map(([fields, cut]) => {
    const bytes = encodeFields(fields);
    return cut === undefined || bytes.length === 0 ? bytes : bytes.subarray(0, cut % bytes.length);
  });
