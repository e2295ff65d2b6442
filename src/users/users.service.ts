import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import type { Role } from '../auth/roles-and-scopes.js';
import { DomainError } from '../common/errors/domain.error.js';
import { isUniqueViolation } from '../database/postgres-errors.js';
import { normalizeEmail } from './email.js';
import { PasswordHasher } from './password-hasher.service.js';
import { User } from './user.entity.js';

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
  ) {}

  async create(input: NewUser): Promise<User> {
    const passwordHash = await this.hasher.hash(input.password);
    try {
      const { id } = await this.users.save(
        this.users.create({
          tenantId: input.tenantId,
          email: normalizeEmail(input.email),
          name: input.name ?? null,
          passwordHash,
          roles: input.roles,
        }),
      );
      return (await this.findById(id))!;
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError('email_taken', 'A user with this email already exists in this tenant');
      }
      throw error;
    }
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  /** The user with their password hash, for checking a password and nothing else. */
  findWithPasswordHash(tenantId: string, email: string): Promise<User | null> {
    return this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.tenantId = :tenantId AND user.email = :email', { tenantId, email: normalizeEmail(email) })
      .getOne();
  }

  /** The user with their password hash, by id. */
  findWithPasswordHashById(id: string): Promise<User | null> {
    return this.users.createQueryBuilder('user').addSelect('user.passwordHash').where('user.id = :id', { id }).getOne();
  }

  /** Stores a new password hash, inside the caller's transaction. */
  async setPasswordHash(manager: EntityManager, id: string, passwordHash: string): Promise<void> {
    await manager.update(User, { id }, { passwordHash, passwordChangedAt: new Date() });
  }

  async rename(id: string, name: string | null): Promise<User> {
    await this.users.update({ id }, { name });
    const user = await this.findById(id);
    if (!user) throw new DomainError('not_found', 'User not found');
    return user;
  }

  async recordSignIn(id: string): Promise<void> {
    await this.users.update({ id }, { lastLoginAt: new Date() });
  }
}
