/**
 * Request decoding that cannot turn a client's bytes into INTERNAL. grpc-js answers INTERNAL when a
 * request's deserializer throws (truncated or malformed protobuf); a malformed request is the client's
 * mistake, so each service's deserializers are wrapped to hand the handler a marker instead, and the
 * handler answers INVALID_ARGUMENT.
 */
import type * as grpc from '@grpc/grpc-js';

const UNDECODABLE = Symbol('ncg.undecodable');

/** A request the deserializer refused, and why. */
export interface Undecodable {
  [UNDECODABLE]: string;
}

/** True when `request` is the marker of a message that could not be decoded. */
export function isUndecodable(request: unknown): request is Undecodable {
  return typeof request === 'object' && request !== null && UNDECODABLE in request;
}

/** Why the request could not be decoded. */
export function undecodableReason(request: Undecodable): string {
  return request[UNDECODABLE];
}

/** A copy of `service` whose request deserializers never throw. */
export function withSafeDecoding(service: grpc.ServiceDefinition): grpc.ServiceDefinition {
  const out: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [name, method] of Object.entries(service)) {
    const decode = method.requestDeserialize;
    out[name] = {
      ...method,
      requestDeserialize: (bytes: Buffer) => {
        try {
          return decode(bytes);
        } catch (e) {
          return { [UNDECODABLE]: (e as Error)?.message ?? 'malformed message' } satisfies Undecodable;
        }
      },
    };
  }
  return out as grpc.ServiceDefinition;
}
