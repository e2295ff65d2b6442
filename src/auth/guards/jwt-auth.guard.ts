import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyReply, FastifyRequest } from 'fastify';
import jsonwebtoken from 'jsonwebtoken';
import { IS_PUBLIC } from '../../common/decorators/public.decorator.js';
import { RouteMetadata } from '../../common/decorators/route-metadata.js';
import { DomainError } from '../../common/errors/domain.error.js';
import type { Principal } from '../../common/http/principal.js';
import { AccessTokenVerifier } from '../../tokens/access-token-verifier.service.js';
import { RevocationService } from '../../tokens/revocation.service.js';
import { VerifiedTokenCache } from '../../tokens/verified-token-cache.js';
import { authenticateWith } from '../strategies/authenticate-with.js';
import { bearerTokenOf } from '../strategies/bearer-token.js';
import { JwtStrategy } from '../strategies/jwt.strategy.js';

const invalid = (reason: string): DomainError => new DomainError('token_invalid', reason);

/** `jsonwebtoken`'s reasons, in our words (its own texts name the expected issuer and audience). */
function reasonOf(error: jsonwebtoken.JsonWebTokenError): string {
  const message = error.message;
  if (message === 'invalid signature') return 'Token signature is not valid';
  if (message.startsWith('jwt audience invalid')) return 'Token is meant for another audience';
  if (message.startsWith('jwt issuer invalid')) return 'Token was issued by another issuer';
  if (message.startsWith('invalid algorithm')) return 'Token was signed with another algorithm';
  if (message.startsWith('invalid') && message.endsWith('value')) return 'Token has a malformed time claim';
  return 'Token is malformed';
}

/**
 * The contract's error for whatever passport-jwt, `jsonwebtoken` or our own checks refused a
 * token with; passport's and `jsonwebtoken`'s texts never reach the caller.
 */
export function authenticationErrorOf(reason: unknown): DomainError {
  if (reason instanceof DomainError) return reason;
  if (reason instanceof jsonwebtoken.TokenExpiredError) return new DomainError('token_expired', 'Token has expired');
  if (reason instanceof jsonwebtoken.NotBeforeError) return invalid('Token is not valid yet');
  if (reason instanceof jsonwebtoken.JsonWebTokenError) return invalid(reasonOf(reason));
  return invalid('Token is not valid');
}

/**
 * Global: every route needs a valid access token unless it is marked `@Public()`. The token is
 * verified by the passport-jwt `JwtStrategy` of this application (run as its own instance, not
 * looked up in passport's process-wide registry by name: see `authenticateWith`), its verdict
 * turned into the contract's errors by `handleRequest`; the in-memory revocation state is then
 * checked on every request (no database round trip), and the caller goes on `request.principal`.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly verifiedTokens = new VerifiedTokenCache();
  private keysWithdrawnSeen = 0;
  private readonly isPublic: RouteMetadata<boolean>;

  constructor(
    reflector: Reflector,
    private readonly strategy: JwtStrategy,
    private readonly revocations: RevocationService,
    private readonly verifier: AccessTokenVerifier,
  ) {
    super();
    this.isPublic = new RouteMetadata((context) => reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [context.getHandler(), context.getClass()]) === true);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.isPublic.of(context)) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const token = bearerTokenOf(request);
    if (token === undefined) throw new DomainError('token_missing', 'An access token is required');
    // A withdrawn signing key takes back what it vouched for at once, cached or not.
    if (this.verifier.keysWithdrawn !== this.keysWithdrawnSeen) {
      this.keysWithdrawnSeen = this.verifier.keysWithdrawn;
      this.verifiedTokens.clear();
    }
    const principal = this.verifiedTokens.get(token) ?? (await this.verified(token, request, http.getResponse<FastifyReply>()));
    // Checked on every request, whatever verified the token: a revocation must bite at once.
    switch (this.revocations.verdict(principal)) {
      case 'token_revoked':
        throw new DomainError('token_revoked', 'Token has been revoked');
      case 'tenant_disabled':
        throw new DomainError('tenant_disabled', 'The tenant of this token is disabled', { status: 401 });
      case undefined:
        request.principal = principal;
        return true;
    }
  }

  override handleRequest<TUser = Principal>(error: unknown, principal: TUser | false, info: unknown): TUser {
    if (error) throw authenticationErrorOf(error);
    if (!principal) throw authenticationErrorOf(info);
    return principal;
  }

  /** The caller the token speaks for, by passport-jwt, remembered until the token expires. */
  private async verified(token: string, request: FastifyRequest, reply: FastifyReply): Promise<Principal> {
    const principal = await authenticateWith(this.strategy, request, reply, (error, verified, info) => this.handleRequest<Principal>(error, verified as Principal | false, info));
    this.verifiedTokens.remember(token, principal);
    return principal;
  }
}
