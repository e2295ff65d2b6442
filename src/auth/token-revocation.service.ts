import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/http/request-context.js';
import { looksLikeJwt } from '../tokens/access-token-format.js';
import { AccessTokenVerifier } from '../tokens/access-token-verifier.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { SignOutService } from './sign-out.service.js';


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

  async revoke(token: string, hint: string | undefined, origin: RequestContext): Promise<void> {
    const jwt = looksLikeJwt(token);
    if (hint === 'refresh_token' || !jwt) {
      if ((await this.sessions.revokeByRefreshToken(token, 'token_revoked', origin)) || !jwt) return;
    }
    const principal = await this.verifier.verify(token).catch(() => undefined);
    if (principal) await this.signOut.revokeToken(principal, 'token_revoked', origin);
  }
}
