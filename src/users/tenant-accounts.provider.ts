import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { Transaction } from '../database/unit-of-work.js';
import type { TenantAccount, TenantAccounts } from '../tenants/tenant-accounts.js';
import { PasswordHasher } from './password-hasher.service.js';
import { User } from './user.entity.js';
import { UsersService } from './users.service.js';

/** The accounts side of tenant administration (`TENANT_ACCOUNTS`). */
@Injectable()
export class UserTenantAccounts implements TenantAccounts {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly accounts: UsersService,
    private readonly hasher: PasswordHasher,
  ) {}

  hashPassword(password: string): Promise<string> {
    return this.hasher.hash(password);
  }

  createAdmin(transaction: Transaction, admin: { tenantId: string; email: string; name?: string; passwordHash: string }): Promise<TenantAccount> {
    return this.accounts.insert(transaction, { ...admin, roles: ['admin'] });
  }

  hasActiveSuperadmin(tenantId: string): Promise<boolean> {
    return this.users.createQueryBuilder('user').where(`user.tenantId = :tenantId AND user.active AND 'superadmin' = ANY(user.roles)`, { tenantId }).getExists();
  }
}
