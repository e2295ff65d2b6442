import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { IS_PUBLIC } from '../../common/decorators/public.decorator.js';
import { DomainError } from '../../common/errors/domain.error.js';
import { AccessTokenVerifier } from '../../tokens/access-token-verifier.service.js';
import { RevocationService } from '../../tokens/revocation.service.js';

/** The bearer token of a request: `undefined` when there is none, an error when it is malformed. */
export function bearerTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const [scheme, token, ...rest] = header.trim().split(/ +/);
  if (scheme.toLowerCase() !== 'bearer') return undefined;
  if (!token || rest.length > 0) throw new DomainError('token_invalid', 'Malformed Authorization header');
  return token;
}

/**
 * Global: every route needs a valid access token unless it is marked `@Public()`.
 * Verifies the token, checks the in-memory revocation state (no database round trip),
 * and puts the caller on `request.principal`.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
    private readonly revocations: RevocationService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const token = bearerTokenOf(request);
    if (token === undefined) throw new DomainError('token_missing', 'An access token is required');
    const principal = await this.verifier.verify(token);
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
}
