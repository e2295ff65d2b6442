import { grantScopes } from './roles-and-scopes.js';

describe(grantScopes.name, () => {
  it('grants everything the roles allow when nothing is requested', () => {
    expect(grantScopes(undefined, ['user'])).toEqual(['profile']);
    expect(grantScopes('', ['moderator'])).toEqual(['profile', 'users:read']);
  });

  it('grants the intersection of the request and the roles', () => {
    expect(grantScopes('users:read users:write', ['moderator'])).toEqual(['users:read']);
  });

  it('never grants a scope no role allows, nor an unknown one', () => {
    expect(grantScopes('tenants:write admin everything', ['admin'])).toEqual([]);
  });

  it('gives the superadmin the platform scopes', () => {
    expect(grantScopes('tenants:read tenants:write', ['superadmin'])).toEqual(['tenants:read', 'tenants:write']);
  });

  it('unions the scopes of several roles', () => {
    expect(grantScopes(undefined, ['user', 'moderator'])).toEqual(['profile', 'users:read']);
  });
});
