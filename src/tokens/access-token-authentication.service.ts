import { Injectable } from '@nestjs/common';
import jsonwebtoken from 'jsonwebtoken';
import { authenticateWith } from '../access/authentication/authenticate-with.js';
import type { Principal } from '../access/principal.js';
import { DomainError } from '../common/errors/domain.error.js';
import { JwtStrategy, type PresentedAccessToken } from './jwt.strategy.js';
import { RevocationService } from './revocation.service.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

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
function authenticationErrorOf(reason: unknown): DomainError {
  if (reason instanceof DomainError) return reason;
  if (reason instanceof jsonwebtoken.TokenExpiredError) return new DomainError('token_expired', 'Token has expired');
  if (reason instanceof jsonwebtoken.NotBeforeError) return invalid('Token is not valid yet');
  if (reason instanceof jsonwebtoken.JsonWebTokenError) return invalid(reasonOf(reason));
  return invalid('Token is not valid');
}

/**
 * The caller a presented access token speaks for, however it was presented: verified once by
 * the passport-jwt `JwtStrategy` and remembered until it expires, then checked against the
 * in-memory revocation state on every request (no database round trip).
 */
@Injectable()
export class AccessTokenAuthentication {
  constructor(
    private readonly strategy: JwtStrategy,
    private readonly verifiedTokens: VerifiedTokenCache,
    private readonly revocations: RevocationService,
  ) {}

  principalFor(token: string): Principal | Promise<Principal> {
    const cached = this.verifiedTokens.get(token);
    if (cached) return this.unlessRevoked(cached);
    return this.verified(token).then((principal) => this.unlessRevoked(principal));
  }

  private async verified(token: string): Promise<Principal> {
    const presented: PresentedAccessToken = { accessToken: token };
    const checkpoint = this.verifiedTokens.checkpoint();
    const principal = await authenticateWith(this.strategy, presented, (error, verified, info) => {
      if (error) throw authenticationErrorOf(error);
      if (!verified) throw authenticationErrorOf(info);
      return verified as Principal;
    });
    this.verifiedTokens.remember(token, principal, checkpoint);
    return principal;
  }

  /** Checked on every request, whatever verified the token: a revocation must bite at once. */
  private unlessRevoked(principal: Principal): Principal {
    switch (this.revocations.verdict(principal)) {
      case 'token_revoked':
        throw new DomainError('token_revoked', 'Token has been revoked');
      case 'tenant_disabled':
        throw new DomainError('token_tenant_disabled', 'The tenant of this token is disabled');
      case undefined:
        return principal;
    }
  }
}
