import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain.error.js';
import type { RequestContext } from '../common/http/request-context.js';
import { DEFAULT_TENANT_SLUG } from '../tenants/tenant-slug.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { lockoutAccount } from '../users/lockout-account.js';
import { LoginLockout } from '../users/login-lockout.service.js';
import type { ReservedPasswordCheck } from '../users/reserved-password-check.js';
import { PasswordHasher } from '../users/password-hasher.service.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';

/** A password that was right for an active account, and its check, still to be settled by the sign-in. */
export interface VerifiedPassword {
  user: User;
  check: ReservedPasswordCheck;
}

const invalidCredentials = (): DomainError => new DomainError('invalid_credentials', 'Invalid email or password');

/**
 * Checks an email and password for a sign-in. An unknown tenant, an unknown email and a wrong
 * password are one answer with one cost (a bcrypt comparison each), and all count towards the
 * account's lockout for the client that sent them; an account locked for that client is refused
 * before any of that. Whether an account is
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

  /** The user, with the reserved check that their sign-in settles (`SignInService`); refusals settle it here. */
  async verify(tenantSlug: string | undefined, email: string, password: string, origin: RequestContext): Promise<VerifiedPassword> {
    const slug = tenantSlug ?? DEFAULT_TENANT_SLUG;
    const tenant = await this.tenants.findBySlug(slug);
    const check = await this.lockout.reserve(lockoutAccount(tenant, slug, email), origin.ip);
    return check.settling(async () => {
      const user = tenant ? await this.users.findWithPasswordHash(tenant.id, email) : null;
      const matches = user ? await this.hasher.verify(password, user.passwordHash) : await this.hasher.verifyAgainstNothing(password);
      if (!tenant || !user || !matches) {
        await check.failed({ tenantId: tenant?.id ?? null, userId: user?.id ?? null, via: 'login', origin });
        throw invalidCredentials();
      }
      if (!tenant.active || !user.active) {
        await check.refused({ tenantId: tenant.id, userId: user.id, via: 'login', origin }, tenant.active ? 'account_disabled' : 'tenant_disabled');
        if (!tenant.active) throw new DomainError('tenant_disabled', 'This tenant is disabled');
        throw new DomainError('account_disabled', 'This account is disabled');
      }
      const { passwordHash: _hash, ...withoutHash } = user;
      return { user: withoutHash as User, check };
    });
  }
}
