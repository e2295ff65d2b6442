import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain.error.js';
import type { RequestContext } from '../common/http/request-context.js';
import { DEFAULT_TENANT_SLUG } from '../tenants/tenant-slug.js';
import { TenantsService } from '../tenants/tenants.service.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import type { RegisterDto } from './dto/register.dto.js';

@Injectable()
export class RegistrationService {
  constructor(
    private readonly tenants: TenantsService,
    private readonly users: UsersService,
  ) {}

  /** Self-registration: always a plain `user`, only where the tenant allows it. */
  async register(input: RegisterDto, origin: RequestContext): Promise<User> {
    const tenant = await this.tenants.findBySlug(input.tenant ?? DEFAULT_TENANT_SLUG);
    // An unknown tenant answers like a closed one, so slugs cannot be probed here.
    if (!tenant || !tenant.active || !tenant.selfSignup) {
      throw new DomainError('self_signup_disabled', 'This tenant does not allow self-registration');
    }
    return this.users.create(
      { tenantId: tenant.id, email: input.email, password: input.password, name: input.name, roles: ['user'] },
      { type: 'user.registered', actorId: null, origin },
    );
  }
}
