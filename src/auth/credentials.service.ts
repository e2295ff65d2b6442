import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain.error.js';
import { DEFAULT_TENANT_SLUG, TenantsService } from '../tenants/tenants.service.js';
import { PasswordHasher } from '../users/password-hasher.service.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';

const invalidCredentials = (): DomainError => new DomainError('invalid_credentials', 'Invalid email or password');

/**
 * Checks an email and password. An unknown tenant, an unknown email and a wrong password are
 * one answer with one cost (a bcrypt comparison each); whether an account is disabled is told
 * only to whoever knows its password.
 */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly tenants: TenantsService,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
  ) {}

  async verify(tenantSlug: string | undefined, email: string, password: string): Promise<User> {
    const tenant = await this.tenants.findBySlug(tenantSlug ?? DEFAULT_TENANT_SLUG);
    const user = tenant ? await this.users.findWithPasswordHash(tenant.id, email) : null;
    const matches = user ? await this.hasher.verify(password, user.passwordHash) : await this.hasher.verifyAgainstNothing(password);
    if (!tenant || !user || !matches) throw invalidCredentials();
    if (!tenant.active) throw new DomainError('tenant_disabled', 'This tenant is disabled');
    if (!user.active) throw new DomainError('account_disabled', 'This account is disabled');
    const { passwordHash: _hash, ...withoutHash } = user;
    return withoutHash as User;
  }
}
