import { Injectable } from '@nestjs/common';
import type { Principal } from '../access/principal.js';
import type { RequestContext } from '../common/http/request-context.js';
import { CLOCK_TOLERANCE_SECONDS } from '../tokens/access-token-format.js';
import { RevocationService } from '../tokens/revocation.service.js';
import type { SessionRevocationReason } from '../sessions/session.entity.js';
import { type SessionRevocationAudit, SessionsService } from '../sessions/sessions.service.js';
import { AuditTrail } from '../audit/audit-trail.service.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { UsersService } from '../users/users.service.js';

/** Logging out: the caller's session, or all of the user's; for a token without a session, that token. */
@Injectable()
export class SignOutService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly sessions: SessionsService,
    private readonly revocations: RevocationService,
    private readonly auditTrail: AuditTrail,
    private readonly users: UsersService,
  ) {}

  async logout(principal: Principal, origin: RequestContext): Promise<void> {
    if (principal.kind === 'user' && principal.sessionId) {
      await this.sessions.revoke({ userId: principal.userId, sessionId: principal.sessionId }, 'logout', this.audit('session.revoked', principal, origin));
    } else {
      await this.revokeToken(principal, 'logout', origin);
    }
  }

  async logoutEverywhere(principal: Principal, origin: RequestContext): Promise<void> {
    if (principal.kind !== 'user') return this.revokeToken(principal, 'logout_all', origin);
    await this.unitOfWork.run(async (transaction) => {
      await this.users.endSignInsInFlight(transaction, principal.userId);
      await this.sessions.revokeAndRecord(transaction, { userId: principal.userId }, 'logout_all', this.audit('user.logged_out_everywhere', principal, origin));
    });
  }

  /** Revokes one access token until it would have expired anyway, and records it as `session.revoked`. */
  async revokeToken(principal: Principal, reason: SessionRevocationReason, origin: RequestContext): Promise<void> {
    await this.unitOfWork.run(async (transaction) => {
      await this.auditTrail.record(
        transaction,
        { type: 'session.revoked', tenantId: principal.tenantId, actorId: principal.subject, subjectId: principal.subject, data: { reason, tokenId: principal.tokenId } },
        origin,
      );
      await this.revocations.record(transaction, [{ kind: 'token', key: principal.tokenId, expiresAt: principal.expiresAt + CLOCK_TOLERANCE_SECONDS }]);
    });
  }

  private audit(type: SessionRevocationAudit['type'], principal: Principal, origin: RequestContext): SessionRevocationAudit {
    return { type, tenantId: principal.tenantId, actorId: principal.subject, origin };
  }
}
