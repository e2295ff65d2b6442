import { TENANT_SLUG_PATTERN } from '../tenants/tenant-slug.js';

/** Where a password grant signs in: the tenant's slug (undefined: the default tenant) and the email. */
export interface PasswordGrantAccount {
  tenant: string | undefined;
  email: string;
}

/**
 * Reads the password grant's `tenant` and `username`. Swagger UI's Authorize dialog (like most
 * OAuth clients) cannot send a `tenant` field, so a username may name its tenant as
 * `tenant/email` (`acme/ada@example.com`). The rule, unambiguous because a slug never holds a
 * `/`: only when `tenant` is not given, split at the FIRST `/`, and only when the part before it
 * is a valid tenant slug; otherwise the whole username is the email (an email may carry `/` in
 * its local part: such an address is written with its tenant, `default/a/b@example.com`, or sent
 * with the `tenant` field).
 */
export function passwordGrantAccount(tenant: string | undefined, username: string): PasswordGrantAccount {
  if (tenant !== undefined) return { tenant, email: username };
  const slash = username.indexOf('/');
  if (slash > 0) {
    const prefix = username.slice(0, slash);
    if (TENANT_SLUG_PATTERN.test(prefix)) return { tenant: prefix, email: username.slice(slash + 1) };
  }
  return { tenant: undefined, email: username };
}
