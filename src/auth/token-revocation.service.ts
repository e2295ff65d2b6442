import { Injectable } from '@nestjs/common';
import { AccessTokenVerifier } from '../tokens/access-token-verifier.service.js';
import { SessionsService } from '../tokens/sessions.service.js';
import { SignOutService } from './sign-out.service.js';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * RFC 7009 revocation. A refresh token ends its session (and so every access token of it);
 * an access token is revoked alone. Unknown, invalid or expired tokens are not an error.
 */
@Injectable()
export class TokenRevocationService {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly sessions: SessionsService,
    private readonly signOut: SignOutService,
  ) {}

  async revoke(token: string, hint?: string): Promise<void> {
    const looksLikeJwt = JWT_SHAPE.test(token);
    if (hint === 'refresh_token' || !looksLikeJwt) {
      if ((await this.sessions.revokeByRefreshToken(token, 'token_revoked')) || !looksLikeJwt) return;
    }
    const principal = await this.verifier.verify(token).catch(() => undefined);
    if (principal) await this.signOut.revokeToken(principal);
  }
}
