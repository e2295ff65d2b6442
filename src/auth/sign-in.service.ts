import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service.js';
import type { RequestContext } from '../common/http/request-context.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { AccessTokenIssuer } from '../tokens/access-token-issuer.service.js';
import { SessionsService } from '../tokens/sessions.service.js';
import { LoginLockout, lockoutAccountOf } from '../users/login-lockout.service.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { grantScopes, type Scope, scopesAllowedFor } from '../access/roles-and-scopes.js';
import type { IssuedTokens } from '../tokens/issued-tokens.js';

/**
 * Turns a user who proved who they are into a session and its first token pair. The session,
 * the cleared lockout count, the last-login time and `login.succeeded` commit together.
 */
@Injectable()
export class SignInService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly users: UsersService,
    private readonly lockout: LoginLockout,
    private readonly audit: AuditTrail,
    private readonly metrics: MetricsService,
  ) {}

  /** For a user whose password check just passed (its lockout reservation is settled here, whatever happens). */
  async signIn(user: User, requestedScope: string | undefined, origin: RequestContext): Promise<IssuedTokens> {
    const account = lockoutAccountOf(user);
    let scopes: Scope[];
    try {
      scopes = grantScopes(requestedScope, scopesAllowedFor(user.roles));
    } catch (error) {
      await this.lockout.passRefused(account, { tenantId: user.tenantId, userId: user.id, via: 'login', origin }, 'invalid_scope');
      throw error;
    }
    const { sessionId, refreshToken } = await this.dataSource
      .transaction(async (manager) => {
        const started = await this.sessions.start(manager, user, scopes, origin);
        await this.lockout.clear(manager, account);
        await this.users.recordSignIn(manager, user.id);
        await this.audit.record(
          manager,
          { type: 'login.succeeded', tenantId: user.tenantId, actorId: user.id, subjectId: user.id, data: { sessionId: started.sessionId, scope: scopes.join(' ') } },
          origin,
        );
        return started;
      })
      .catch(async (error: unknown) => {
        await this.lockout.release(account);
        throw error;
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
  }
}
