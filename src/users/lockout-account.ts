import { emailKey } from '../common/accounts/email.js';

/** One account as lockout counts it: a tenant (or a slug that names none) and the email's canonical key. */
export interface LockoutAccount {
  tenantKey: string;
  email: string;
}

/** The account a sign-in names, as typed: keyed by the email's canonical key, the one users are looked up by. */
export function lockoutAccount(tenant: { id: string } | null, tenantSlug: string, email: string): LockoutAccount {
  return { tenantKey: tenant ? tenant.id : `slug:${tenantSlug.toLowerCase()}`, email: emailKey(email) };
}

/** The account of a known user, keyed as a sign-in with its email is. */
export function lockoutAccountOf(user: { tenantId: string; email: string }): LockoutAccount {
  return { tenantKey: user.tenantId, email: emailKey(user.email) };
}
