/**
 * What every ncg.v1 handler does around its own work: authenticate the bearer token in the
 * `authorization` metadata, authorise through the table (authorize.ts), refuse an undecodable request, and turn whatever is thrown into a status through
 * errors.ts. A handler built here never throws into grpc-js, so nothing a client sends can crash the
 * process.
 */
import * as grpc from '@grpc/grpc-js';
import { DomainError } from '../../domain/errors.js';
import type { Principal } from '../../domain/principal.js';
import { toServiceError, type ErrorLog } from './errors.js';
import { isUndecodable, undecodableReason } from './safe-decode.js';
import type { GrpcAuthorizer } from './authorize.js';
import type { RateLimiter } from '../security/rate-limits.js';

/** Resolves a presented secret to a principal; undefined when unknown, revoked or expired. */
export type TokenResolver = (secret: string) => Promise<Principal | undefined>;

/** What the wrappers need. */
export interface CallContext {
  resolveToken: TokenResolver;
  /** The authorisation table's decision (authorize.ts); required, so no handler can be built without it. */
  authorize: GrpcAuthorizer;
  /** Rate limits shared with REST (per address, per token, failed authentications). */
  limits?: RateLimiter;
  log: ErrorLog;
}

/** A decoded request (proto-loader objects with camelCase fields). */
export type Request = Record<string, unknown>;

/** The principal behind `authorization: Bearer <token>`, or an `unauthenticated` DomainError. */
export async function authenticate(metadata: grpc.Metadata, resolveToken: TokenResolver): Promise<Principal> {
  const values = metadata.get('authorization');
  if (values.length === 0) throw new DomainError('unauthenticated', 'missing authorization metadata; send "authorization: Bearer <api token>"');
  const m = values.length === 1 ? /^Bearer\s+(\S+)\s*$/i.exec(String(values[0])) : null;
  if (!m) throw new DomainError('unauthenticated', 'authorization metadata must be one "Bearer <api token>"');
  const principal = await resolveToken(m[1]!);
  if (!principal) throw new DomainError('unauthenticated', 'API token is unknown, revoked or expired');
  return principal;
}

/** The request, unless the deserializer refused it. */
export function decoded(request: unknown, typeName: string): Request {
  if (isUndecodable(request)) {
    throw DomainError.invalid(`request is not a valid ${typeName} message: ${undecodableReason(request).slice(0, 200)}`, [{ path: '(body)', message: 'malformed protobuf' }]);
  }
  return request as Request;
}

/** Authenticate, authorise (roles before the message is looked at), then decode. */
async function admit(ctx: CallContext, method: string, requestType: string, call: { metadata: grpc.Metadata; request: unknown; getPeer(): string }): Promise<{ principal: Principal; request: Request }> {
  // The peer without its port ("ipv4:127.0.0.1:53422" → "ipv4:127.0.0.1"), so one host is one address.
  const address = call.getPeer().replace(/:\d+$/, '');
  ctx.limits?.address(address);
  ctx.limits?.assertMayAuthenticate(address);
  // Authenticate first: a caller without a token learns nothing, not even that its message was bad.
  const principal = await authenticate(call.metadata, ctx.resolveToken).catch((e: unknown) => {
    // A presented credential that failed counts against the address; no credential at all does not.
    if (call.metadata.get('authorization').length > 0) ctx.limits?.authFailed(address);
    throw e;
  });
  ctx.limits?.token(principal.tokenId ?? principal.userId);
  await ctx.authorize(method, principal, isUndecodable(call.request) ? {} : (call.request as Request));
  // A copy: the resolved principal is shared through the token cache; the address is this call's (audit trail).
  return { principal: { ...principal, address }, request: decoded(call.request, requestType) };
}

/** An authenticated unary handler: `work` returns the response message or throws. */
export function unary(
  ctx: CallContext,
  method: string,
  requestType: string,
  work: (principal: Principal, request: Request, call: grpc.ServerUnaryCall<unknown, unknown>) => Promise<unknown>,
): grpc.handleUnaryCall<unknown, unknown> {
  return (call, callback) => {
    const run = async () => {
      const { principal, request } = await admit(ctx, method, requestType, call);
      return work(principal, request, call);
    };
    run().then(
      (response) => callback(null, response),
      (err: unknown) => {
        const status = toServiceError(err, ctx.log, method);
        callback(status as grpc.ServiceError);
      },
    );
  };
}

/** An authenticated server-streaming handler: `work` writes to the call and resolves when done. */
export function serverStream(
  ctx: CallContext,
  method: string,
  requestType: string,
  work: (principal: Principal, request: Request, call: grpc.ServerWritableStream<unknown, unknown>) => Promise<void>,
): grpc.handleServerStreamingCall<unknown, unknown> {
  return (call) => {
    const run = async () => {
      const { principal, request } = await admit(ctx, method, requestType, call);
      await work(principal, request, call);
    };
    run().then(
      () => {
        if (!call.cancelled) call.end();
      },
      (err: unknown) => {
        if (call.cancelled) return;
        call.emit('error', toServiceError(err, ctx.log, method));
      },
    );
  };
}
