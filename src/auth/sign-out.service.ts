import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/http/principal.js';
import { CLOCK_TOLERANCE_SECONDS } from '../tokens/access-token-format.js';
import { RevocationService } from '../tokens/revocation.service.js';
import { SessionsService } from '../tokens/sessions.service.js';

/** Logging out: the caller's session, or all of the user's; for a token without a session, that token. */
@Injectable()
export class SignOutService {
  constructor(
    private readonly sessions: SessionsService,
    private readonly revocations: RevocationService,
  ) {}

  async logout(principal: Principal): Promise<void> {
    if (principal.userId && principal.sessionId) {
      await this.sessions.revoke({ userId: principal.userId, sessionId: principal.sessionId }, 'logout');
    } else {
      await this.revokeToken(principal);
    }
  }

  async logoutEverywhere(principal: Principal): Promise<void> {
    if (principal.userId) await this.sessions.revoke({ userId: principal.userId }, 'logout_all');
    else await this.revokeToken(principal);
  }

  /** Revokes one access token until it would have expired anyway. */
  async revokeToken(principal: Principal): Promise<void> {
    await this.revocations.revokeWith(() =>
      Promise.resolve({
        entries: [{ kind: 'token', key: principal.tokenId, expiresAt: principal.expiresAt + CLOCK_TOLERANCE_SECONDS }],
        result: undefined,
      }),
    );
  }
}
