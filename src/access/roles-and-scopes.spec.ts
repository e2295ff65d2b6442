import type { DomainError } from '../common/errors/domain.error.js';
import { assertGrantorHolds, grantScopes, type Role, scopesAllowedFor } from './roles-and-scopes.js';

describe(grantScopes.name, () => {
  const allowedFor = (...roles: Role[]) => scopesAllowedFor(roles);

  it('grants everything the roles allow when nothing is requested', () => {
    expect(grantScopes(undefined, allowedFor('user'))).toEqual(['profile']);
    expect(grantScopes('', allowedFor('moderator'))).toEqual(['profile', 'users:read']);
  });

  it('grants the intersection of the request and the roles', () => {
    expect(grantScopes('users:read users:write', allowedFor('moderator'))).toEqual(['users:read']);
  });

  it('refuses a request of which nothing may be granted (invalid_scope), rather than an empty token', () => {
    expect(() => grantScopes('tenants:write admin everything', allowedFor('admin'))).toThrow(expect.objectContaining({ code: 'invalid_scope' }) as DomainError);
  });

  it('gives the superadmin the platform scopes', () => {
    expect(grantScopes('tenants:read tenants:write', allowedFor('superadmin'))).toEqual(['tenants:read', 'tenants:write']);
  });

  it('unions the scopes of several roles', () => {
    expect(grantScopes(undefined, allowedFor('user', 'moderator'))).toEqual(['profile', 'users:read']);
  });
});

describe(assertGrantorHolds.name, () => {
  it('lets a caller grant what its token holds', () => {
    expect(() => assertGrantorHolds(['users:read'], ['users:read', 'users:write'])).not.toThrow();
    expect(() => assertGrantorHolds([], [])).not.toThrow();
  });

  it('refuses, naming every scope beyond the token', () => {
    expect(() => assertGrantorHolds(scopesAllowedFor(['admin']), ['users:write'])).toThrow(
      expect.objectContaining({ code: 'insufficient_scope', details: { requiredScopes: ['profile', 'users:read', 'clients:write', 'audit:read', 'tokens:introspect'] } }) as DomainError,
    );
  });
});
