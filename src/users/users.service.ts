import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service.js';
import type { Role } from '../access/roles-and-scopes.js';
import { DomainError } from '../common/errors/domain.error.js';
import type { RequestContext } from '../common/http/request-context.js';
import { isUniqueViolation } from '../database/postgres-errors.js';
import { type Transaction, UnitOfWork } from '../database/unit-of-work.js';
import { emailAsTyped, emailKey } from '../common/accounts/email.js';
import { PasswordHasher } from './password-hasher.service.js';
import { User } from './user.entity.js';

/** How a new account is recorded: self-registration, or created by an admin (or at start-up). */
export interface UserCreation {
  type: 'user.registered' | 'user.created';
  /** Who created it; `null` for self-registration (the new user is the actor) or the service itself. */
  actorId: string | null;
  origin?: RequestContext;
}

export interface NewUser {
  tenantId: string;
  email: string;
  password: string;
  name?: string | null;
  roles: Role[];
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditTrail,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /** Creates an account and records it (`user.registered` or `user.created`) in one transaction. */
  async create(input: NewUser, creation: UserCreation): Promise<User> {
    const passwordHash = await this.hasher.hash(input.password);
    try {
      const id = await this.unitOfWork.run(async (transaction) => {
        const user = await this.insert(transaction, { ...input, passwordHash });
        await this.audit.record(
          transaction,
          {
            type: creation.type,
            tenantId: user.tenantId,
            actorId: creation.type === 'user.registered' ? user.id : creation.actorId,
            subjectId: user.id,
            data: { email: user.email, roles: user.roles },
          },
          creation.origin,
        );
        return user.id;
      });
      return (await this.findById(id))!;
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError('email_taken', 'A user with this email already exists in this tenant');
      }
      throw error;
    }
  }

  /** Inserts an account in the caller's transaction (which records it). */
  async insert({ manager }: Transaction, input: Omit<NewUser, 'password'> & { passwordHash: string }): Promise<User> {
    const user = manager.create(User, {
      tenantId: input.tenantId,
      email: emailAsTyped(input.email),
      emailKey: emailKey(input.email),
      name: input.name ?? null,
      passwordHash: input.passwordHash,
      roles: input.roles,
    });
    const { id } = await manager.save(user);
    return manager.findOneByOrFail(User, { id });
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  /** The user with their password hash, for checking a password and nothing else; found by the email's canonical key. */
  findWithPasswordHash(tenantId: string, email: string): Promise<User | null> {
    return this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.tenantId = :tenantId AND user.emailKey = :emailKey', { tenantId, emailKey: emailKey(email) })
      .getOne();
  }

  /** The user with their password hash, by id. */
  findWithPasswordHashById(id: string): Promise<User | null> {
    return this.users.createQueryBuilder('user').addSelect('user.passwordHash').where('user.id = :id', { id }).getOne();
  }

  /** Stores a new password hash, inside the caller's transaction; sign-ins with the old one still in flight fail. */
  async setPasswordHash({ manager }: Transaction, id: string, passwordHash: string): Promise<void> {
    await manager.update(User, { id }, { passwordHash, passwordChangedAt: new Date(), securityStamp: () => 'security_stamp + 1' });
  }

  /**
   * Makes every sign-in of the user still in flight fail (`lockForSignIn`), inside the caller's
   * transaction. Called first by whatever ends all of a user's sessions: the row lock it takes
   * orders that change and any sign-in, so a sign-in either sees the new stamp or opens its
   * session before the change ends the user's sessions.
   */
  async endSignInsInFlight({ manager }: Transaction, id: string): Promise<void> {
    await manager.update(User, { id }, { securityStamp: () => 'security_stamp + 1' });
  }

  /**
   * The user as it is now, locked until the caller's transaction (the sign-in's) ends; `null`
   * when it is gone. `FOR NO KEY UPDATE`, not `FOR SHARE`: the sign-in updates the row next
   * (`recordSignIn`), and two sign-ins holding a shared lock would deadlock upgrading it.
   */
  lockForSignIn({ manager }: Transaction, id: string): Promise<User | null> {
    return manager.getRepository(User).createQueryBuilder('user').setLock('for_no_key_update').where('user.id = :id', { id }).getOne();
  }

  /** The user's own name change, recorded as `user.updated`. */
  async rename(id: string, name: string | null, origin: RequestContext): Promise<User> {
    await this.unitOfWork.run(async (transaction) => {
      const { manager } = transaction;
      const user = await manager.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new DomainError('not_found', 'User not found');
      if (user.name === name) return;
      await manager.update(User, { id }, { name });
      await this.audit.record(
        transaction,
        { type: 'user.updated', tenantId: user.tenantId, actorId: id, subjectId: id, data: { before: { name: user.name }, after: { name } } },
        origin,
      );
    });
    return (await this.findById(id))!;
  }

  /** Notes a sign-in, in the caller's transaction. */
  async recordSignIn({ manager }: Transaction, id: string): Promise<void> {
    await manager.update(User, { id }, { lastLoginAt: new Date() });
  }
}
