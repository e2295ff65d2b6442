import type { INestApplicationContext } from '@nestjs/common';
import type { Tenant } from '../tenants/tenant.entity.js';
import { TenantsService } from '../tenants/tenants.service.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { CliError } from './cli-error.js';

export async function tenantBySlug(context: INestApplicationContext, slug: string): Promise<Tenant> {
  const tenant = await context.get(TenantsService).findBySlug(slug.toLowerCase());
  if (!tenant) throw new CliError(`No tenant has the slug "${slug}"`, { code: 'not_found' });
  return tenant;
}

/** The tenant's user with this email, if any. */
export function userByEmail(context: INestApplicationContext, tenant: Tenant, email: string): Promise<User | null> {
  return context.get(UsersService).findWithPasswordHash(tenant.id, email);
}
