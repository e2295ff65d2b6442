import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain.error.js';
import type { RequestContext } from '../common/http/request-context.js';
import { DEFAULT_TENANT_SLUG, TenantsService } from '../tenants/tenants.service.js';
import { LoginLockout, lockoutAccount } from '../users/login-lockout.service.js';
import { PasswordHasher } from '../users/password-hasher.service.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';

const invalidCredentials = (): DomainError => new DomainError('invalid_credentials', 'Invalid email or password');

/**
 * Checks an email and password for a sign-in. An unknown tenant, an unknown email and a wrong
 * password are one answer with one cost (a bcrypt comparison each), and all count towards the
 * account's lockout; a locked account is refused before any of that. Whether an account is
 * disabled is told only to whoever knows its password.
 */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly tenants: TenantsService,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly lockout: LoginLockout,
  ) {}

  async verify(tenantSlug: string | undefined, email: string, password: string, origin: RequestContext): Promise<User> {
    const slug = tenantSlug ?? DEFAULT_TENANT_SLUG;
    const tenant = await this.tenants.findBySlug(slug);
    const account = lockoutAccount(tenant, slug, email);
    await this.lockout.reserve(account);
    let user: User | null;
    let matches: boolean;
    try {
      user = tenant ? await this.users.findWithPasswordHash(tenant.id, email) : null;
      matches = user ? await this.hasher.verify(password, user.passwordHash) : await this.hasher.verifyAgainstNothing(password);
    } catch (error) {
      await this.lockout.release(account);
      throw error;
    }
    if (!tenant || !user || !matches) {
      await this.lockout.fail(account, { tenantId: tenant?.id ?? null, userId: user?.id ?? null, via: 'login', origin });
      throw invalidCredentials();
    }
    if (!tenant.active || !user.active) {
      await this.lockout.passRefused(account, { tenantId: tenant.id, userId: user.id, via: 'login', origin }, tenant.active ? 'account_disabled' : 'tenant_disabled');
      if (!tenant.active) throw new DomainError('tenant_disabled', 'This tenant is disabled');
      throw new DomainError('account_disabled', 'This account is disabled');
    }
    // The check passed; its reservation is settled by the sign-in that follows (`SignInService`).
    const { passwordHash: _hash, ...withoutHash } = user;
    return withoutHash as User;
  }
}
