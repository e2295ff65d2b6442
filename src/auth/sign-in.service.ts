import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail.service.js';
import { DomainError } from '../common/errors/domain.error.js';
import type { RequestContext } from '../common/http/request-context.js';
import { MetricsService } from '../ops/metrics/metrics.service.js';
import { AccessTokenIssuer } from '../tokens/access-token-issuer.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { VerifiedPassword } from './credentials.service.js';
import { type Transaction, UnitOfWork } from '../database/unit-of-work.js';
import { TenantsService } from '../tenants/tenants.service.js';
import type { RefusalReason } from '../users/reserved-password-check.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { grantScopes, type Scope, scopesAllowedFor } from '../access/roles-and-scopes.js';
import type { IssuedTokens } from '../tokens/issued-tokens.js';

/** What a sign-in asks for: scopes (none: every scope the roles allow), for the OAuth client it signs in through. */
export interface SignInRequest {
  scope: string | undefined;
  clientId: string;
}

type LateRefusal = Exclude<RefusalReason, 'invalid_scope'>;

/** A sign-in's session opened, or refused with the reason recorded and the error answered. */
type SignInOutcome = { tokens: IssuedTokens } | { refusal: RefusalReason; error: unknown };

const refusals: Record<LateRefusal, () => DomainError> = {
  tenant_disabled: () => new DomainError('tenant_disabled', 'This tenant is disabled'),
  account_disabled: () => new DomainError('account_disabled', 'This account is disabled'),
  // The password checked may be the one just replaced: the same answer as a wrong one.
  account_changed: () => new DomainError('invalid_credentials', 'Invalid email or password'),
};

/**
 * Turns a user who proved who they are into a session and its first token pair. The session,
 * the client's cleared lockout count (and its address known to the account from then on), the
 * last-login time and `login.succeeded` commit together, with the tenant and the user locked and
 * checked again: a change that ended the user's sessions, or disabled the user or the tenant,
 * while the password was being checked refuses the sign-in, and one that comes after waits for
 * it and then ends the new session too.
 */
@Injectable()
export class SignInService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly sessions: SessionsService,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly tenants: TenantsService,
    private readonly users: UsersService,
    private readonly audit: AuditTrail,
    private readonly metrics: MetricsService,
  ) {}

  /** For a user whose password was just verified: settles its check, whatever happens. */
  async signIn({ user, check }: VerifiedPassword, request: SignInRequest, origin: RequestContext): Promise<IssuedTokens> {
    return check.settling(async (): Promise<IssuedTokens> => {
      const attempt = { tenantId: user.tenantId, userId: user.id, via: 'login' as const, origin };
      const opened = await this.unitOfWork.run(async (transaction): Promise<SignInOutcome> => {
        const current = await this.lockUnchanged(transaction, user);
        if (typeof current === 'string') return { refusal: current, error: refusals[current]() };
        let scopes: Scope[];
        try {
          scopes = grantScopes(request.scope, scopesAllowedFor(current.roles));
        } catch (error) {
          return { refusal: 'invalid_scope', error };
        }
        const { sessionId, refreshToken, startedAt } = await this.sessions.start(transaction, current, { scopes, clientId: request.clientId }, origin);
        await check.passedIn(transaction);
        await this.users.recordSignIn(transaction, current.id);
        await this.audit.record(
          transaction,
          { type: 'login.succeeded', tenantId: current.tenantId, actorId: current.id, subjectId: current.id, data: { sessionId, scope: scopes.join(' '), clientId: request.clientId } },
          origin,
        );
        // Signed before the locks are released, so that a tenant disabled next has every token of this sign-in issued before it.
        const access = await this.accessTokens.issue({
          subject: current.id,
          tenantId: current.tenantId,
          roles: current.roles,
          scopes,
          clientId: request.clientId,
          sessionId,
          authTime: Math.floor(startedAt.getTime() / 1000),
        });
        return { tokens: { access, refreshToken } };
      });
      if ('tokens' in opened) {
        this.metrics.signIn('succeeded');
        return opened.tokens;
      }
      await check.refused(attempt, opened.refusal);
      throw opened.error;
    });
  }

  /** The tenant and the user, locked, unless something changed since the password was checked. */
  private async lockUnchanged(transaction: Transaction, verified: User): Promise<User | LateRefusal> {
    const tenant = await this.tenants.lockWhileIssuing(transaction, verified.tenantId);
    const user = await this.users.lockForSignIn(transaction, verified.id);
    if (!tenant?.active) return 'tenant_disabled';
    if (user?.active === false) return 'account_disabled';
    if (!user || user.securityStamp !== verified.securityStamp) return 'account_changed';
    return user;
  }
}
