import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain.error.js';
import { isUniqueViolation } from '../database/postgres-errors.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { RevocationService } from '../tokens/revocation.service.js';
import { normalizeEmail } from '../users/email.js';
import { PasswordHasher } from '../users/password-hasher.service.js';
import { User } from '../users/user.entity.js';
import type { CreateTenantDto } from './dto/create-tenant.dto.js';
import type { UpdateTenantDto } from './dto/update-tenant.dto.js';

/**
 * Platform administration of tenants: a new tenant comes with its first admin, in one
 * transaction; a disabled tenant's tokens are refused at once (`tenant_disabled`) on every
 * instance, until it is enabled again.
 */
@Injectable()
export class TenantAdministrationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly revocations: RevocationService,
  ) {}

  list(limit: number, offset: number): Promise<[Tenant[], number]> {
    return this.dataSource.getRepository(Tenant).findAndCount({ order: { createdAt: 'ASC', id: 'ASC' }, take: limit, skip: offset });
  }

  async create(input: CreateTenantDto): Promise<Tenant> {
    const passwordHash = await this.hasher.hash(input.admin.password);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const tenant = await manager.getRepository(Tenant).save({ slug: input.slug, name: input.name, selfSignup: input.selfSignup ?? false });
        await manager.insert(User, {
          tenantId: tenant.id,
          email: normalizeEmail(input.admin.email),
          name: input.admin.name ?? null,
          passwordHash,
          roles: ['admin'],
        });
        return tenant;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError('conflict', `A tenant with the slug "${input.slug}" already exists`);
      }
      throw error;
    }
  }

  async update(tenantId: string, changes: UpdateTenantDto): Promise<Tenant> {
    const tenants = this.dataSource.getRepository(Tenant);
    const tenant = await tenants.findOneBy({ id: tenantId });
    if (!tenant) throw new DomainError('not_found', 'Tenant not found');
    if (changes.active === false && tenant.active) {
      const hasSuperadmin = await this.dataSource
        .getRepository(User)
        .createQueryBuilder('user')
        .where(`user.tenantId = :tenantId AND user.active AND 'superadmin' = ANY(user.roles)`, { tenantId })
        .getExists();
      if (hasSuperadmin) throw new DomainError('conflict', 'This tenant holds an active superadmin; it cannot be disabled');
      await this.revocations.revokeWith(async (manager) => {
        await manager.update(Tenant, { id: tenantId }, { ...changes });
        return { entries: [{ kind: 'tenant', key: tenantId }], result: undefined };
      });
    } else {
      if (Object.keys(changes).length > 0) await tenants.update({ id: tenantId }, { ...changes });
      if (changes.active === true && !tenant.active) await this.revocations.lift('tenant', tenantId);
    }
    return tenants.findOneByOrFail({ id: tenantId });
  }
}
