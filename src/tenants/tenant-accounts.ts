import type { Role } from '../access/roles-and-scopes.js';
import type { Transaction } from '../database/unit-of-work.js';

/** An account tenant administration created. */
export interface TenantAccount {
  id: string;
  email: string;
  roles: Role[];
}

/**
 * What tenant administration needs of the accounts, which live in users/: that module provides
 * it under `TENANT_ACCOUNTS`, so users/ imports tenants/ and never the other way.
 */
export interface TenantAccounts {
  hashPassword(password: string): Promise<string>;
  /** Creates the tenant's first admin in the caller's transaction. */
  createAdmin(transaction: Transaction, admin: { tenantId: string; email: string; name?: string; passwordHash: string }): Promise<TenantAccount>;
  /** Whether the tenant holds an active superadmin (such a tenant is never disabled). */
  hasActiveSuperadmin(tenantId: string): Promise<boolean>;
}

export const TENANT_ACCOUNTS = Symbol('TenantAccounts');
