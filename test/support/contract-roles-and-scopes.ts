/**
 * The contract's roles and scopes (API.md, "Identity model"), copied here on purpose: the tests
 * compute their expectations from these tables, never from the code under test
 * (`roles-and-scopes.ts` in src/), so that a change to the code's tables fails a test instead of
 * moving the expectation along with it. Change this file only when the contract changes.
 */

export const CONTRACT_ROLES = ['user', 'moderator', 'admin', 'superadmin'] as const;
export type ContractRole = (typeof CONTRACT_ROLES)[number];

/** The roles of one tenant; `superadmin` is platform-wide. */
export const TENANT_ROLES: readonly ContractRole[] = ['user', 'moderator', 'admin'];

export const CONTRACT_SCOPES = ['profile', 'users:read', 'users:write', 'clients:write', 'audit:read', 'tokens:introspect', 'tenants:read', 'tenants:write'] as const;
export type ContractScope = (typeof CONTRACT_SCOPES)[number];

/** The contract's table of the scopes a role may hold, row by row. */
export const ROLE_SCOPES: Readonly<Record<ContractRole, readonly ContractScope[]>> = {
  user: ['profile'],
  moderator: ['profile', 'users:read'],
  admin: ['profile', 'users:read', 'users:write', 'clients:write', 'audit:read', 'tokens:introspect'],
  superadmin: ['profile', 'users:read', 'users:write', 'clients:write', 'audit:read', 'tokens:introspect', 'tenants:read', 'tenants:write'],
};

/**
 * The scopes an API client may hold: the tenant-level ones (the tenant administration routes'
 * and `tokens:introspect`), never `profile` (a client has no profile or sessions of its own) nor
 * the platform's `tenants:*`, so no client ever reaches a platform route.
 */
export const CLIENT_SCOPES: readonly ContractScope[] = ['users:read', 'users:write', 'clients:write', 'audit:read', 'tokens:introspect'];

/** The scopes some role of `roles` may hold, in the contract's order. */
export function scopesOfRoles(roles: readonly ContractRole[]): ContractScope[] {
  return CONTRACT_SCOPES.filter((scope) => roles.some((role) => ROLE_SCOPES[role].includes(scope)));
}
