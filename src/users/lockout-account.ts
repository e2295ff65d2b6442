import { normalizeEmail } from '../common/accounts/email.js';

/** One account as lockout counts it: a tenant (or a slug that names none) and a canonical email. */
export interface LockoutAccount {
  tenantKey: string;
  email: string;
}

/** The account a sign-in names, as typed: its email is put in canonical form, the same form users are looked up by. */
export function lockoutAccount(tenant: { id: string } | null, tenantSlug: string, email: string): LockoutAccount {
  return { tenantKey: tenant ? tenant.id : `slug:${tenantSlug.toLowerCase()}`, email: normalizeEmail(email) };
}

/** The account of a known user: its stored email is canonical already, and is used as it is. */
export function lockoutAccountOf(user: { tenantId: string; email: string }): LockoutAccount {
  return { tenantKey: user.tenantId, email: user.email };
}
