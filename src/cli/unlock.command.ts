import type { INestApplicationContext } from '@nestjs/common';
import { TenantUsersService } from '../users/tenant-users.service.js';
import { CliError } from './cli-error.js';
import type { CommandResult } from './command-result.js';
import { tenantBySlug, userByEmail } from './find-account.js';
import { operatorActor } from './operator-actor.js';

/** Lifts a sign-in lockout (recorded as `account.unlocked` when there was one). */
export async function unlock(context: INestApplicationContext, tenantSlug: string, email: string): Promise<CommandResult> {
  const tenant = await tenantBySlug(context, tenantSlug);
  const user = await userByEmail(context, tenant, email);
  if (!user) throw new CliError(`No user ${email} in tenant ${tenant.slug}`, { code: 'not_found' });
  await context.get(TenantUsersService).unlock(tenant.id, user.id, operatorActor());
  return { text: `Unlocked ${user.email} in tenant ${tenant.slug}`, json: { tenant: tenant.slug, user: { id: user.id, email: user.email } } };
}
