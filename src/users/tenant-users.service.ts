import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service.js';
import { assertGrantorHolds, type Role, scopesAllowedFor } from '../access/roles-and-scopes.js';
import { DomainError } from '../common/errors/domain.error.js';
import { fieldChanges } from '../common/field-changes.js';
import type { Actor } from '../access/actor.js';
import { ADVISORY_LOCK, lockForTransaction } from '../database/advisory-locks.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { TenantsService } from '../tenants/tenants.service.js';
import type { SessionRevocationReason } from '../sessions/session.entity.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { CreateUserDto } from './dto/create-user.dto.js';
import type { UpdateUserDto } from './dto/update-user.dto.js';
import { lockoutAccountOf } from './lockout-account.js';
import { LoginLockout } from './login-lockout.service.js';
import { UserCache } from './user-cache.service.js';
import { User } from './user.entity.js';
import { UsersService } from './users.service.js';

const notFound = (): DomainError => new DomainError('not_found', 'User not found');
const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (char) => `\\${char}`);

/**
 * User administration within one tenant. Every query here is scoped by the tenant id, in this
 * one place. Guard rails: only a superadmin grants `superadmin` or touches a superadmin, and no
 * change leaves a tenant without an active admin. Role changes, disabling and deletion end the
 * user's sessions, so they take effect on the next request.
 */
@Injectable()
export class TenantUsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly accounts: UsersService,
    private readonly tenants: TenantsService,
    private readonly sessions: SessionsService,
    private readonly unitOfWork: UnitOfWork,
    private readonly lockout: LoginLockout,
    private readonly audit: AuditTrail,
    private readonly cache: UserCache,
  ) {}

  async search(tenantId: string, q: string | undefined, limit: number, offset: number): Promise<[User[], number]> {
    const query = this.users.createQueryBuilder('user').where('user.tenantId = :tenantId', { tenantId });
    if (q) query.andWhere(`(user.email ILIKE :pattern OR user.name ILIKE :pattern)`, { pattern: `%${escapeLike(q)}%` });
    return query.orderBy('user.createdAt', 'ASC').addOrderBy('user.id').take(limit).skip(offset).getManyAndCount();
  }

  async get(tenantId: string, userId: string): Promise<User> {
    const user = await this.users.findOneBy({ tenantId, id: userId });
    if (!user) throw notFound();
    return user;
  }

  async create(tenantId: string, input: CreateUserDto, actor: Actor): Promise<User> {
    this.assertMayGrant(input.roles, actor);
    if (!(await this.tenants.findById(tenantId))) throw new DomainError('not_found', 'Tenant not found');
    return this.accounts.create(
      { tenantId, email: input.email, password: input.password, name: input.name, roles: input.roles },
      { type: 'user.created', actorId: actor.id, origin: actor.origin },
    );
  }

  async update(tenantId: string, userId: string, changes: UpdateUserDto, actor: Actor): Promise<User> {
    if (changes.roles) this.assertMayGrant(changes.roles, actor);
    await this.unitOfWork.run(async (transaction) => {
      const { manager } = transaction;
      const user = await this.lockedTarget(manager, tenantId, userId, actor);
      const loses = (role: Role) => (changes.roles !== undefined && !changes.roles.includes(role)) || changes.active === false;
      if (loses('admin')) await this.assertNotLastAdmin(manager, user);
      if (loses('superadmin')) await this.assertNotLastSuperadmin(manager, user);
      const changed = fieldChanges<Pick<User, keyof UpdateUserDto>>(user, changes);
      if (changed.fields.length > 0) await manager.update(User, { id: user.id, tenantId }, changed.after);
      const rolesChanged = changed.fields.includes('roles');
      const reason: SessionRevocationReason | undefined =
        changes.active === false ? 'user_disabled' : rolesChanged ? 'admin_revoked' : undefined;
      if (reason) await this.accounts.endSignInsInFlight(transaction, user.id);
      const sessionsRevoked = reason ? await this.sessions.revokeInTransaction(transaction, { userId: user.id }, reason) : 0;
      if (changed.fields.length > 0) {
        await this.audit.record(
          transaction,
          {
            type: 'user.updated',
            tenantId,
            actorId: actor.id,
            subjectId: user.id,
            data: { before: changed.before, after: changed.after, ...(reason ? { sessionsRevoked } : {}) },
          },
          actor.origin,
        );
      }
      transaction.afterCommit(() => this.cache.forget(userId));
    });
    return this.get(tenantId, userId);
  }

  async remove(tenantId: string, userId: string, actor: Actor): Promise<void> {
    await this.unitOfWork.run(async (transaction) => {
      const { manager } = transaction;
      const user = await this.lockedTarget(manager, tenantId, userId, actor);
      await this.assertNotLastAdmin(manager, user);
      await this.assertNotLastSuperadmin(manager, user);
      const sessionsRevoked = await this.sessions.revokeInTransaction(transaction, { userId: user.id }, 'user_deleted');
      await manager.delete(User, { id: user.id, tenantId });
      await this.lockout.clear(transaction, lockoutAccountOf(user));
      await this.audit.record(
        transaction,
        { type: 'user.deleted', tenantId, actorId: actor.id, subjectId: user.id, data: { email: user.email, roles: user.roles, sessionsRevoked } },
        actor.origin,
      );
      transaction.afterCommit(() => this.cache.forget(userId));
    });
  }

  async revokeSessions(tenantId: string, userId: string, actor: Actor): Promise<void> {
    await this.unitOfWork.run(async (transaction) => {
      const user = await transaction.manager.findOneBy(User, { tenantId, id: userId });
      if (!user) throw notFound();
      this.assertMayActOn(user, actor);
      await this.accounts.endSignInsInFlight(transaction, user.id);
      await this.sessions.revokeAndRecord(transaction, { userId: user.id }, 'admin_revoked', { type: 'session.revoked', tenantId, actorId: actor.id, origin: actor.origin });
    });
  }

  /** Lifts every sign-in lock of the user in force, with the failures counted towards them (`LoginLockout.unlock`). */
  async unlock(tenantId: string, userId: string, actor: Actor): Promise<void> {
    await this.unitOfWork.run(async (transaction) => {
      const { manager } = transaction;
      const user = await manager.findOneBy(User, { tenantId, id: userId });
      if (!user) throw notFound();
      this.assertMayActOn(user, actor);
      if (await this.lockout.unlock(transaction, lockoutAccountOf(user))) {
        await this.audit.record(transaction, { type: 'account.unlocked', tenantId, actorId: actor.id, subjectId: user.id }, actor.origin);
      }
    });
  }

  private assertMayGrant(roles: Role[], actor: Actor): void {
    if (roles.includes('superadmin') && !actor.isSuperadmin) {
      throw new DomainError('insufficient_role', 'Only a superadmin can grant superadmin');
    }
    assertGrantorHolds(scopesAllowedFor(roles), actor.scopes);
  }

  /**
   * Serializes changes to one tenant's users (so that two concurrent changes cannot each remove
   * "another" last admin, nor deadlock over each other's rows), then locks and checks the target.
   */
  private async lockedTarget(manager: EntityManager, tenantId: string, userId: string, actor: Actor): Promise<User> {
    await lockForTransaction(manager, ADVISORY_LOCK.tenantUserAdministration, tenantId);
    const user = await manager
      .getRepository(User)
      .createQueryBuilder('user')
      .setLock('pessimistic_write')
      .where('user.tenantId = :tenantId AND user.id = :userId', { tenantId, userId })
      .getOne();
    if (!user) throw notFound();
    this.assertMayActOn(user, actor);
    return user;
  }

  /** The one rule for every route that acts on a user: only a superadmin acts on a superadmin. */
  private assertMayActOn(user: User, actor: Actor): void {
    if (user.roles.includes('superadmin') && !actor.isSuperadmin) {
      throw new DomainError('insufficient_role', 'Only a superadmin can act on a superadmin');
    }
  }

  /** The platform keeps at least one active superadmin; changes to superadmins are serialized platform-wide. */
  private async assertNotLastSuperadmin(manager: EntityManager, user: User): Promise<void> {
    if (!user.active || !user.roles.includes('superadmin')) return;
    await lockForTransaction(manager, ADVISORY_LOCK.superadmins);
    const others = await manager
      .getRepository(User)
      .createQueryBuilder('user')
      .where(`user.active AND 'superadmin' = ANY(user.roles) AND user.id <> :id`, { id: user.id })
      .getExists();
    if (!others) throw new DomainError('conflict', 'This is the last active superadmin of the platform');
  }

  private async assertNotLastAdmin(manager: EntityManager, user: User): Promise<void> {
    if (!user.active || !user.roles.includes('admin')) return;
    const admins = await manager
      .getRepository(User)
      .createQueryBuilder('user')
      .select('user.id')
      .where(`user.tenantId = :tenantId AND user.active AND 'admin' = ANY(user.roles)`, { tenantId: user.tenantId })
      .getMany();
    if (admins.length <= 1 && admins.some((admin) => admin.id === user.id)) {
      throw new DomainError('conflict', 'This is the last active admin of the tenant');
    }
  }
}
