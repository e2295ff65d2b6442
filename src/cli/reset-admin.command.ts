import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail.service.js';
import { emailProblem } from '../common/accounts/email.js';
import { PasswordHasher } from '../users/password-hasher.service.js';
import { passwordProblem } from '../common/accounts/password-policy.js';
import { TenantUsersService } from '../users/tenant-users.service.js';
import { UsersService } from '../users/users.service.js';
import { CliError } from './cli-error.js';
import type { CommandResult } from './command-result.js';
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
export async function resetAdmin(context: INestApplicationContext, tenantSlug: string, email: string, password?: string): Promise<CommandResult> {
  const emailIssue = emailProblem(email);
  if (emailIssue !== undefined) throw new CliError(`Invalid email: ${emailIssue}`, { code: 'invalid_input' });
  const chosen = password ?? generatedPassword();
  const passwordIssue = passwordProblem(chosen, email);
  if (passwordIssue !== undefined) throw new CliError(`Invalid password: it ${passwordIssue}`, { code: 'invalid_input' });
  const tenant = await tenantBySlug(context, tenantSlug);
  const actor = operatorActor();
  const tenantUsers = context.get(TenantUsersService);

  const existing = await userByEmail(context, tenant, email);
  let outcome: string;
  let admin: { id: string; email: string };
  if (!existing) {
    const user = await tenantUsers.create(tenant.id, { email, password: chosen, roles: ['admin'] }, actor);
    outcome = `Created admin ${user.email} in tenant ${tenant.slug}`;
    admin = { id: user.id, email: user.email };
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
    admin = { id: existing.id, email: existing.email };
  }
  const generated = password === undefined ? chosen : null;
  return {
    text: generated === null ? outcome : `${outcome}\nGenerated password (shown once): ${generated}`,
    json: { tenant: tenant.slug, admin, created: !existing, sessionsEnded: !!existing, generatedPassword: generated },
  };
}
