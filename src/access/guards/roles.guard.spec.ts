import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Auth } from '../decorators/authorization.decorators.js';
import type { Principal } from '../principal.js';
import type { Role } from '../roles-and-scopes.js';
import { RolesGuard } from './roles.guard.js';

class AdministrationController {
  @Auth({ roles: ['admin'], scopes: ['users:write'], apiClients: 'by-scopes' })
  clientsByScopes(this: void): void {}

  @Auth({ roles: ['admin'], scopes: ['users:write'] })
  rolesForEveryone(this: void): void {}

  @Auth({ scopes: ['tokens:introspect'] })
  noRoles(this: void): void {}
}

const verified = { tenantId: 't', scopes: ['users:write' as const], tokenId: 'j', issuedAt: 0, expiresAt: 0 };
const user = (roles: Role[]): Principal => ({ ...verified, kind: 'user', clientId: 'portcullis', userId: 'u', subject: 'u', roles });
const client: Principal = { ...verified, kind: 'client', clientId: 'c', subject: 'client:c', roles: [] };

const contextOf = (handler: (this: void) => void, principal: Principal): ExecutionContext =>
  ({
    getClass: () => AdministrationController,
    getHandler: () => handler,
    switchToHttp: () => ({ getRequest: () => ({ principal }) }),
  }) as unknown as ExecutionContext;

describe(RolesGuard.name, () => {
  const sut = new RolesGuard(new Reflector());
  const insufficientRole = expect.objectContaining({ code: 'insufficient_role' });

  it('leaves an API client to the scope check where the route says clients are judged by scopes', () => {
    expect(sut.canActivate(contextOf(AdministrationController.prototype.clientsByScopes, client))).toBe(true);
  });

  it('holds an API client to the route’s roles where the route does not say so', () => {
    expect(() => sut.canActivate(contextOf(AdministrationController.prototype.rolesForEveryone, client))).toThrow(insufficientRole);
  });

  it('holds a user to the roles either way', () => {
    for (const handler of [AdministrationController.prototype.clientsByScopes, AdministrationController.prototype.rolesForEveryone]) {
      expect(() => sut.canActivate(contextOf(handler, user(['moderator'])))).toThrow(insufficientRole);
      expect(sut.canActivate(contextOf(handler, user(['admin'])))).toBe(true);
    }
  });

  it('lets a superadmin pass any roles', () => {
    expect(sut.canActivate(contextOf(AdministrationController.prototype.rolesForEveryone, user(['superadmin'])))).toBe(true);
  });

  it('checks nothing on a route without roles, for clients and users alike', () => {
    expect(sut.canActivate(contextOf(AdministrationController.prototype.noRoles, client))).toBe(true);
    expect(sut.canActivate(contextOf(AdministrationController.prototype.noRoles, user(['user'])))).toBe(true);
  });
});
