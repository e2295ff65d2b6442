import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail.service.js';
import { emailProblem } from '../common/accounts/email.js';
import { PasswordHasher } from '../users/password-hasher.service.js';
import { passwordProblem } from '../common/accounts/password-policy.js';
import { TenantUsersService } from '../users/tenant-users.service.js';
import { UsersService } from '../users/users.service.js';
import { CliError } from './cli-error.js';
import { tenantBySlug, userByEmail } from './find-account.js';
import { operatorActor } from './operator-actor.js';
import { UnitOfWork } from '../database/unit-of-work.js';

/** 24 characters of base64url: 144 random bits. */
const generatedPassword = (): string => randomBytes(18).toString('base64url');

/**
 * Gives a tenant an admin who can sign in: creates the user, or makes an existing one an active
 * admin with a new password (its sessions end and any lockout is lifted). Without `password`,
 * one is generated and printed once.
 */
export async function resetAdmin(context: INestApplicationContext, tenantSlug: string, email: string, password?: string): Promise<string> {
  const emailIssue = emailProblem(email);
  if (emailIssue !== undefined) throw new CliError(`Invalid email: ${emailIssue}`);
  const chosen = password ?? generatedPassword();
  const passwordIssue = passwordProblem(chosen, email);
  if (passwordIssue !== undefined) throw new CliError(`Invalid password: it ${passwordIssue}`);
  const tenant = await tenantBySlug(context, tenantSlug);
  const actor = operatorActor();
  const tenantUsers = context.get(TenantUsersService);

  const existing = await userByEmail(context, tenant, email);
  let outcome: string;
  if (!existing) {
    const user = await tenantUsers.create(tenant.id, { email, password: chosen, roles: ['admin'] }, actor);
    outcome = `Created admin ${user.email} in tenant ${tenant.slug}`;
  } else {
    if (!existing.roles.includes('admin') || !existing.active) {
      const roles = existing.roles.includes('admin') ? existing.roles : [...existing.roles, 'admin' as const];
      await tenantUsers.update(tenant.id, existing.id, { roles, active: true }, actor);
    }
    const passwordHash = await context.get(PasswordHasher).hash(chosen);
    await context.get(UnitOfWork).run(async (transaction) => {
      await context.get(UsersService).setPasswordHash(transaction, existing.id, passwordHash);
      await context.get(AuditTrail).record(transaction, { type: 'user.password_changed', tenantId: tenant.id, actorId: actor.id, subjectId: existing.id, data: { via: 'cli' } }, actor.origin);
    });
    await tenantUsers.revokeSessions(tenant.id, existing.id, actor);
    await tenantUsers.unlock(tenant.id, existing.id, actor);
    outcome = `Reset admin ${existing.email} in tenant ${tenant.slug} (its sessions have ended)`;
  }
  return password === undefined ? `${outcome}\nGenerated password (shown once): ${chosen}` : outcome;
}
