import { DomainError } from '../common/errors/domain.error.js';

export const ROLES = ['user', 'moderator', 'admin', 'superadmin'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = [
  'profile',
  'users:read',
  'users:write',
  'clients:write',
  'audit:read',
  'tokens:introspect',
  'tenants:read',
  'tenants:write',
] as const;
export type Scope = (typeof SCOPES)[number];

/** The contract's table of the scopes each role may hold. */
const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  user: ['profile'],
  moderator: ['profile', 'users:read'],
  admin: ['profile', 'users:read', 'users:write', 'clients:write', 'audit:read', 'tokens:introspect'],
  superadmin: SCOPES,
};

export function scopesAllowedFor(roles: readonly Role[]): Set<Scope> {
  return new Set(roles.flatMap((role) => ROLE_SCOPES[role]));
}

/**
 * The scopes a token carries: what was requested, cut down to what `allowed` holds. Nothing
 * requested means everything allowed; a scope one may not hold is dropped, never granted; a
 * request of which nothing may be granted is refused (RFC 6749 `invalid_scope`), not answered
 * with an empty token.
 */
export function grantScopes(requested: string | undefined, allowed: ReadonlySet<Scope>): Scope[] {
  const wanted = requested?.split(' ').filter((scope) => scope !== '');
  if (!wanted || wanted.length === 0) return SCOPES.filter((scope) => allowed.has(scope));
  const granted = SCOPES.filter((scope) => wanted.includes(scope) && allowed.has(scope));
  if (granted.length === 0) throw new DomainError('invalid_scope', 'None of the requested scopes can be granted');
  return granted;
}

/**
 * The one rule wherever something is granted (a client's scopes, a user's roles): a caller never
 * grants more than its own token holds. A token narrowed to some scopes can grant only within them.
 */
export function assertGrantorHolds(granted: Iterable<Scope>, grantorScopes: readonly Scope[]): void {
  const missing = SCOPES.filter((scope) => [...granted].includes(scope) && !grantorScopes.includes(scope));
  if (missing.length > 0) {
    throw new DomainError('insufficient_scope', `Cannot grant what your token does not hold: ${missing.join(' ')}`, { requiredScopes: missing });
  }
}

/** Scopes an API client may be given: tenant-level ones only, so no client ever reaches platform routes. */
export const CLIENT_SCOPES: readonly Scope[] = ['users:read', 'users:write', 'clients:write', 'audit:read', 'tokens:introspect'];

export function isSuperadmin(principal: { readonly roles: readonly Role[] }): boolean {
  return principal.roles.includes('superadmin');
}
