import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard, type AuthGuardAuthenticateOptions } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import jsonwebtoken from 'jsonwebtoken';
import { IS_PUBLIC } from '../../common/decorators/public.decorator.js';
import { DomainError } from '../../common/errors/domain.error.js';
import type { Principal } from '../../common/http/principal.js';
import { RevocationService } from '../../tokens/revocation.service.js';
import { bearerTokenOf } from '../strategies/bearer-token.js';

/**
 * The contract's error for whatever passport-jwt, `jsonwebtoken` or our own checks refused a
 * token with; passport's and `jsonwebtoken`'s texts never reach the caller as they are.
 */
export function authenticationErrorOf(reason: unknown): DomainError {
  if (reason instanceof DomainError) return reason;
  if (reason instanceof jsonwebtoken.TokenExpiredError) return new DomainError('token_expired', 'Token has expired');
  if (reason instanceof jsonwebtoken.NotBeforeError) return new DomainError('token_invalid', 'Token is not valid yet');
  if (reason instanceof jsonwebtoken.JsonWebTokenError) return new DomainError('token_invalid', `Token is not valid (${reason.message})`);
  return new DomainError('token_invalid', 'Token is not valid');
}

/**
 * Global: every route needs a valid access token unless it is marked `@Public()`. The token is
 * verified by the passport-jwt strategy (`JwtStrategy`); passport puts the caller on
 * `request.principal`, and the in-memory revocation state is checked after it (no database
 * round trip).
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly revocations: RevocationService,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (bearerTokenOf(request) === undefined) throw new DomainError('token_missing', 'An access token is required');
    const principal = await this.verified(context, request);
    // Checked on every request, verified-token cache or not: a revocation must bite at once.
    switch (this.revocations.verdict(principal)) {
      case 'token_revoked':
        throw new DomainError('token_revoked', 'Token has been revoked');
      case 'tenant_disabled':
        throw new DomainError('tenant_disabled', 'The tenant of this token is disabled', { status: 401 });
      case undefined:
        return true;
    }
  }

  override getAuthenticateOptions(): AuthGuardAuthenticateOptions {
    return { session: false, property: 'principal' };
  }

  override handleRequest<TUser = Principal>(error: unknown, principal: TUser | false, info: unknown): TUser {
    if (error) throw authenticationErrorOf(error);
    if (!principal) throw authenticationErrorOf(info);
    return principal;
  }

  /** The caller the token speaks for, by passport-jwt; the one seam for a cache of verified tokens. */
  private async verified(context: ExecutionContext, request: FastifyRequest): Promise<Principal> {
    await super.canActivate(context);
    if (!request.principal) throw new DomainError('token_invalid', 'Token is not valid');
    return request.principal;
  }
}
