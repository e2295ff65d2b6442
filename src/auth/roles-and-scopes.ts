import type { Principal } from '../common/http/principal.js';

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
 * The scopes a token carries: what was requested, cut down to what the roles allow.
 * Nothing requested means everything allowed; a scope one may not hold is dropped, never granted.
 */
export function grantScopes(requested: string | undefined, roles: readonly Role[]): Scope[] {
  const allowed = scopesAllowedFor(roles);
  const wanted = requested?.split(' ').filter((scope) => scope !== '');
  if (!wanted || wanted.length === 0) return SCOPES.filter((scope) => allowed.has(scope));
  return SCOPES.filter((scope) => wanted.includes(scope) && allowed.has(scope));
}

/** Scopes an API client may be given: tenant-level ones only, so no client ever reaches platform routes. */
export const CLIENT_SCOPES: readonly Scope[] = ['users:read', 'users:write', 'clients:write', 'audit:read', 'tokens:introspect'];

export const CLIENT_SUBJECT_PREFIX = 'client:';

export function isClient(principal: Pick<Principal, 'subject'>): boolean {
  return principal.subject.startsWith(CLIENT_SUBJECT_PREFIX);
}

export function isSuperadmin(principal: Pick<Principal, 'roles'>): boolean {
  return principal.roles.includes('superadmin');
}
