/** `ncg.v1.TokenService` (proto/ncg/v1/tokens.proto): the same TokenService REST's /v1/tokens calls. */
import type * as grpc from '@grpc/grpc-js';
import { DomainError } from '../../domain/errors.js';
import type { TokenService } from '../../services/token-service.js';
import type { ApiTokenInfo } from '../../store/repositories/api-tokens.js';
import { unary, type CallContext, type Request } from './call.js';

/** What the token handlers need. */
export interface TokenHandlerDeps extends CallContext {
  tokens: TokenService;
}

const text = (r: Request, name: string): string | undefined => (typeof r[name] === 'string' && r[name] !== '' ? (r[name] as string) : undefined);

/** An ApiTokenInfo as an `ncg.v1.Token` message (0 for unset times). */
export function tokenMessage(t: ApiTokenInfo): Record<string, unknown> {
  return {
    id: t.id, user: t.userId, name: t.name, prefix: t.prefix, created_at_ms: t.createdAt,
    expires_at_ms: t.expiresAt ?? 0, revoked_at_ms: t.revokedAt ?? 0, last_used_at_ms: t.lastUsedAt ?? 0,
  };
}

/** The TokenService implementation for grpc-js. */
export function tokenHandlers(deps: TokenHandlerDeps): grpc.UntypedServiceImplementation {
  return {
    Create: unary(deps, 'TokenService.Create', 'ncg.v1.CreateTokenRequest', async (p, r) => {
      const [user, expires] = [text(r, 'user'), text(r, 'expires')];
      const created = await deps.tokens.create(p, { name: text(r, 'name') ?? '', ...(user ? { user } : {}), ...(expires ? { expires } : {}) });
      return { token: tokenMessage(created), secret: created.secret };
    }),
    List: unary(deps, 'TokenService.List', 'ncg.v1.ListTokensRequest', async (p, r) => ({ tokens: (await deps.tokens.list(p, text(r, 'user'))).map(tokenMessage) })),
    Revoke: unary(deps, 'TokenService.Revoke', 'ncg.v1.RevokeTokenRequest', async (p, r) => {
      const id = text(r, 'id');
      if (id === undefined) throw DomainError.invalid('id is required', [{ path: 'id', message: 'required' }]);
      return tokenMessage(await deps.tokens.revoke(p, id));
    }),
  };
}
