import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain.error.js';
import type { Principal } from '../common/http/principal.js';
import { RevocationService } from '../tokens/revocation.service.js';
import { SessionsService } from '../tokens/sessions.service.js';
import { PasswordHasher } from '../users/password-hasher.service.js';
import { UsersService } from '../users/users.service.js';

@Injectable()
export class PasswordChangeService {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly revocations: RevocationService,
  ) {}

  /** Changes the password and ends every other session of the user, in one transaction. */
  async change(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    const user = principal.userId ? await this.users.findWithPasswordHashById(principal.userId) : null;
    if (!user) throw new DomainError('not_found', 'This token does not belong to a user');
    if (!(await this.hasher.verify(currentPassword, user.passwordHash))) {
      // 403, not 401: the token is fine, the password given is not.
      throw new DomainError('invalid_credentials', 'The current password is not correct', { status: 403 });
    }
    const passwordHash = await this.hasher.hash(newPassword);
    await this.revocations.revokeWith(async (manager) => {
      await this.users.setPasswordHash(manager, user.id, passwordHash);
      const entries = await this.sessions.revokeInTransaction(
        manager,
        { userId: user.id, exceptSessionId: principal.sessionId },
        'password_change',
      );
      return { entries, result: undefined };
    });
  }
}
