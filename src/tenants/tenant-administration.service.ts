import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service.js';
import { assertGrantorHolds, scopesAllowedFor } from '../access/roles-and-scopes.js';
import { DomainError } from '../common/errors/domain.error.js';
import { fieldChanges } from '../common/field-changes.js';
import type { Actor } from '../access/actor.js';
import { isUniqueViolation } from '../database/postgres-errors.js';
import { Tenant } from './tenant.entity.js';
import { AccessTokenLifetime } from '../tokens/access-token-lifetime.service.js';
import { RevocationService } from '../tokens/revocation.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { TENANT_ACCOUNTS, type TenantAccounts } from './tenant-accounts.js';
import type { CreateTenantDto } from './dto/create-tenant.dto.js';
import type { UpdateTenantDto } from './dto/update-tenant.dto.js';
import { type Transaction, UnitOfWork } from '../database/unit-of-work.js';

/**
 * Platform administration of tenants: a new tenant comes with its first admin, in one
 * transaction; a disabled tenant's tokens are refused at once (`tenant_disabled`) on every
 * instance, until it is enabled again.
 */
@Injectable()
export class TenantAdministrationService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly revocations: RevocationService,
    @Inject(TENANT_ACCOUNTS) private readonly accounts: TenantAccounts,
    private readonly audit: AuditTrail,
    private readonly sessions: SessionsService,
    private readonly lifetime: AccessTokenLifetime,
  ) {}

  list(limit: number, offset: number): Promise<[Tenant[], number]> {
    return this.dataSource.getRepository(Tenant).findAndCount({ order: { createdAt: 'ASC', id: 'ASC' }, take: limit, skip: offset });
  }

  async create(input: CreateTenantDto, actor: Actor): Promise<Tenant> {
    // The tenant comes with an admin: the caller's token must hold all an admin may.
    assertGrantorHolds(scopesAllowedFor(['admin']), actor.scopes);
    const passwordHash = await this.accounts.hashPassword(input.admin.password);
    try {
      return await this.unitOfWork.run(async (transaction) => {
        const { manager } = transaction;
        const tenant = await manager.getRepository(Tenant).save({ slug: input.slug, name: input.name, selfSignup: input.selfSignup ?? false });
        const admin = await this.accounts.createAdmin(transaction, { tenantId: tenant.id, email: input.admin.email, name: input.admin.name, passwordHash });
        await this.audit.record(
          transaction,
          { type: 'tenant.created', tenantId: tenant.id, actorId: actor.id, subjectId: tenant.id, data: { slug: tenant.slug, name: tenant.name, selfSignup: tenant.selfSignup } },
          actor.origin,
        );
        await this.audit.record(
          transaction,
          { type: 'user.created', tenantId: tenant.id, actorId: actor.id, subjectId: admin.id, data: { email: admin.email, roles: admin.roles } },
          actor.origin,
        );
        return tenant;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError('conflict', `A tenant with the slug "${input.slug}" already exists`);
      }
      throw error;
    }
  }

  async update(tenantId: string, changes: UpdateTenantDto, actor: Actor): Promise<Tenant> {
    const tenants = this.dataSource.getRepository(Tenant);
    const tenant = await tenants.findOneBy({ id: tenantId });
    if (!tenant) throw new DomainError('not_found', 'Tenant not found');
    if (changes.active === false && tenant.active) {
      if (await this.accounts.hasActiveSuperadmin(tenantId)) throw new DomainError('conflict', 'This tenant holds an active superadmin; it cannot be disabled');
      // Disabling ends the tenant's sessions and tokens for good: enabling it again lifts only the
      // `tenant` entry, while `tenant_tokens` keeps every token issued until now refused until it expires.
      await this.unitOfWork.run(async (transaction) => {
        // Locked first: this waits for the sign-ins and grants under way (`TenantsService.lockWhileIssuing`),
        // whose sessions are then ended with the rest, and those that come later see the tenant disabled.
        await transaction.manager.getRepository(Tenant).createQueryBuilder('tenant').setLock('pessimistic_write').where('tenant.id = :tenantId', { tenantId }).getOne();
        const sessionsRevoked = await this.sessions.revokeTenantSessions(transaction, tenantId);
        await this.applyChanges(transaction, tenant, changes, actor, { sessionsRevoked });
        await this.revocations.record(transaction, [
          { kind: 'tenant', key: tenantId },
          { kind: 'tenant_tokens', key: tenantId, notBefore: Math.floor(Date.now() / 1000), expiresAt: await this.lifetime.allExpiredBy(transaction.manager) },
        ]);
      });
    } else {
      await this.unitOfWork.run((transaction) => this.applyChanges(transaction, tenant, changes, actor));
      if (changes.active === true && !tenant.active) await this.revocations.lift('tenant', tenantId);
    }
    return tenants.findOneByOrFail({ id: tenantId });
  }

  /** Writes the fields that change, and `tenant.updated` with their values before and after. */
  private async applyChanges(transaction: Transaction, tenant: Tenant, changes: UpdateTenantDto, actor: Actor, effects: Record<string, number> = {}): Promise<void> {
    const changed = fieldChanges<Pick<Tenant, keyof UpdateTenantDto>>(tenant, changes);
    if (changed.fields.length === 0) return;
    await transaction.manager.update(Tenant, { id: tenant.id }, changed.after);
    await this.audit.record(
      transaction,
      {
        type: 'tenant.updated',
        tenantId: tenant.id,
        actorId: actor.id,
        subjectId: tenant.id,
        data: {
          before: changed.before,
          after: changed.after,
          ...effects,
        },
      },
      actor.origin,
    );
  }
}
