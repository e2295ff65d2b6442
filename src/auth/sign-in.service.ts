import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail.service.js';
import type { RequestContext } from '../common/http/request-context.js';
import { MetricsService } from '../ops/metrics/metrics.service.js';
import { AccessTokenIssuer } from '../tokens/access-token-issuer.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { VerifiedPassword } from './credentials.service.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { UsersService } from '../users/users.service.js';
import { grantScopes, type Scope, scopesAllowedFor } from '../access/roles-and-scopes.js';
import type { IssuedTokens } from '../tokens/issued-tokens.js';

/**
 * Turns a user who proved who they are into a session and its first token pair. The session,
 * the client's cleared lockout count (and its address known to the account from then on), the
 * last-login time and `login.succeeded` commit together.
 */
@Injectable()
export class SignInService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly sessions: SessionsService,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly users: UsersService,
    private readonly audit: AuditTrail,
    private readonly metrics: MetricsService,
  ) {}

  /** For a user whose password was just verified: settles its check, whatever happens. */
  async signIn({ user, check }: VerifiedPassword, requestedScope: string | undefined, origin: RequestContext): Promise<IssuedTokens> {
    return check.settling(async () => {
      let scopes: Scope[];
      try {
        scopes = grantScopes(requestedScope, scopesAllowedFor(user.roles));
      } catch (error) {
        await check.refused({ tenantId: user.tenantId, userId: user.id, via: 'login', origin }, 'invalid_scope');
        throw error;
      }
      const { sessionId, refreshToken } = await this.unitOfWork.run(async (transaction) => {
        const started = await this.sessions.start(transaction, user, scopes, origin);
        await check.passedIn(transaction);
        await this.users.recordSignIn(transaction, user.id);
        await this.audit.record(
          transaction,
          { type: 'login.succeeded', tenantId: user.tenantId, actorId: user.id, subjectId: user.id, data: { sessionId: started.sessionId, scope: scopes.join(' ') } },
          origin,
        );
        return started;
      });
      this.metrics.signIn('succeeded');
      const access = await this.accessTokens.issue({
        subject: user.id,
        tenantId: user.tenantId,
        roles: user.roles,
        scopes,
        sessionId,
      });
      return { access, refreshToken };
    });
  }
}
