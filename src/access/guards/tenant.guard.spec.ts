import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Auth } from '../decorators/authorization.decorators.js';
import type { Principal } from '../principal.js';
import type { Role } from '../roles-and-scopes.js';
import { TenantGuard } from './tenant.guard.js';

const TENANT_A = '0b6f3c1e-8a4d-4e2b-9f7a-1c5d3e8b2a60';
const TENANT_B = '7e2a9d4c-3b1f-4a8e-b6c5-9d0e1f2a3b4c';

class TenantRoutesController {
  @Auth({ scopes: ['users:read'], tenantParameter: 'tenantId' })
  listUsers(this: void): void {}

  @Auth({ scopes: ['users:read'], tenantParameter: 'organizationId' })
  listMembers(this: void): void {}

  /** Has a parameter called `tenantId`, but does not name it as its tenant. */
  @Auth({ scopes: ['users:read'] })
  lookUp(this: void): void {}

  @Auth({ scopes: ['users:read'], tenantParameter: 'tenantld' })
  misnamed(this: void): void {}
}

const caller = (tenantId: string, roles: Role[] = ['admin']): Principal => ({
  kind: 'user', clientId: 'portcullis',
  userId: 'u1',
  subject: 'u1',
  tenantId,
  roles,
  scopes: ['users:read'],
  tokenId: 't1',
  issuedAt: 0,
  expiresAt: 0,
});

const contextOf = (handler: (this: void) => void, params: Record<string, string>, principal: Principal): ExecutionContext =>
  ({
    getClass: () => TenantRoutesController,
    getHandler: () => handler,
    switchToHttp: () => ({ getRequest: () => ({ params, principal }) }),
  }) as unknown as ExecutionContext;

describe(TenantGuard.name, () => {
  const sut = new TenantGuard(new Reflector());

  it('admits a caller of the tenant the route names', () => {
    expect(sut.canActivate(contextOf(TenantRoutesController.prototype.listUsers, { tenantId: TENANT_A }, caller(TENANT_A)))).toBe(true);
  });

  it('refuses a caller of another tenant with `tenant_mismatch`', () => {
    expect(() => sut.canActivate(contextOf(TenantRoutesController.prototype.listUsers, { tenantId: TENANT_A }, caller(TENANT_B)))).toThrow(
      expect.objectContaining({ code: 'tenant_mismatch' }),
    );
  });

  it('checks the parameter the route names, whatever it is called', () => {
    const params = { organizationId: TENANT_A, tenantId: TENANT_B };
    expect(() => sut.canActivate(contextOf(TenantRoutesController.prototype.listMembers, params, caller(TENANT_B)))).toThrow(
      expect.objectContaining({ code: 'tenant_mismatch' }),
    );
    expect(sut.canActivate(contextOf(TenantRoutesController.prototype.listMembers, params, caller(TENANT_A)))).toBe(true);
  });

  it('leaves alone a parameter called `tenantId` that the route does not name as its tenant', () => {
    expect(sut.canActivate(contextOf(TenantRoutesController.prototype.lookUp, { tenantId: TENANT_A }, caller(TENANT_B)))).toBe(true);
  });

  it('lets a superadmin act on any tenant', () => {
    expect(sut.canActivate(contextOf(TenantRoutesController.prototype.listUsers, { tenantId: TENANT_A }, caller(TENANT_B, ['superadmin'])))).toBe(true);
  });

  it('fails rather than skip the check when the named parameter is not on the route', () => {
    expect(() => sut.canActivate(contextOf(TenantRoutesController.prototype.misnamed, { tenantId: TENANT_A }, caller(TENANT_B)))).toThrow(/tenantld/);
  });
});
