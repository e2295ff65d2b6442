import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail.service.js';
import { DomainError } from '../common/errors/domain.error.js';
import type { Principal } from '../access/principal.js';
import type { RequestContext } from '../common/http/request-context.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { lockoutAccountOf } from '../users/lockout-account.js';
import { LoginLockout } from '../users/login-lockout.service.js';
import { PasswordHasher } from '../users/password-hasher.service.js';
import { passwordProblem } from '../common/accounts/password-policy.js';
import { UsersService } from '../users/users.service.js';
import { UnitOfWork } from '../database/unit-of-work.js';

@Injectable()
export class PasswordChangeService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly lockout: LoginLockout,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * Changes the password and ends every other session of the user, in one transaction. The
   * current password is a password check like a sign-in's: it counts towards the lockout.
   */
  async change(principal: Principal, currentPassword: string, newPassword: string, origin: RequestContext): Promise<void> {
    const user = principal.kind === 'user' ? await this.users.findWithPasswordHashById(principal.userId) : null;
    if (!user) throw new DomainError('not_found', 'This token does not belong to a user');
    // Checked first: a refused new password is a 400 whatever the current password, and costs no password check.
    const problem = passwordProblem(newPassword, user.email);
    if (problem) throw new DomainError('validation_failed', 'Validation failed', { messages: [`newPassword ${problem}`] });
    const check = await this.lockout.reserve(lockoutAccountOf(user), origin.ip);
    await check.settling(async () => {
      if (!(await this.hasher.verify(currentPassword, user.passwordHash))) {
        await check.failed({ tenantId: user.tenantId, userId: user.id, via: 'password_change', origin });
        // 403, not 401: the token is fine, the password given is not.
        throw new DomainError('current_password_invalid', 'The current password is not correct');
      }
      const passwordHash = await this.hasher.hash(newPassword);
      await this.unitOfWork.run(async (transaction) => {
        await this.users.setPasswordHash(transaction, user.id, passwordHash);
        await check.passedIn(transaction);
        const sessionsRevoked = await this.sessions.revokeInTransaction(transaction, { userId: user.id, exceptSessionId: principal.sessionId }, 'password_change');
        await this.audit.record(
          transaction,
          { type: 'user.password_changed', tenantId: user.tenantId, actorId: user.id, subjectId: user.id, data: { sessionsRevoked } },
          origin,
        );
      });
    });
  }
}
