import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain.error.js';
import type { RequestContext } from '../common/http/request-context.js';
import { looksLikeJwt } from '../tokens/access-token-format.js';
import { AccessTokenVerifier } from '../tokens/access-token-verifier.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { SignOutService } from './sign-out.service.js';

const anotherClients = (): DomainError => new DomainError('unauthorized_client', 'This token was issued to another client');

/**
 * RFC 7009 revocation, by the client a token was issued to. A refresh token ends its session (and
 * so every access token of it); an access token is revoked alone. Unknown, invalid or expired
 * tokens are not an error; another client's token is (§2.1: the server verifies the token was
 * issued to the client making the request).
 */
@Injectable()
export class TokenRevocationService {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly sessions: SessionsService,
    private readonly signOut: SignOutService,
  ) {}

  async revoke(token: string, hint: string | undefined, clientId: string, origin: RequestContext): Promise<void> {
    const jwt = looksLikeJwt(token);
    if (hint === 'refresh_token' || !jwt) {
      const session = await this.sessions.findByRefreshToken(token);
      if (session) {
        if (session.clientId !== clientId) throw anotherClients();
        await this.sessions.revoke({ userId: session.userId, sessionId: session.id }, 'token_revoked', {
          type: 'session.revoked',
          tenantId: session.tenantId,
          // Whoever holds a session's refresh token speaks for its user.
          actorId: session.userId,
          origin,
        });
        return;
      }
      if (!jwt) return;
    }
    const principal = await this.verifier.verify(token).catch(() => undefined);
    if (!principal) return;
    if (principal.clientId !== clientId) throw anotherClients();
    await this.signOut.revokeToken(principal, 'token_revoked', origin);
  }
}
