import type { ExecutionContext } from '@nestjs/common';
import { EXCEPTION_FILTERS_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import { OAuthErrorFilter } from '../../common/errors/oauth-error.filter.js';
import { Auth, Roles, Scopes } from './authorization.decorators.js';
import { IS_PUBLIC, Public } from './public.decorator.js';
import { routeFactsOf } from './route-facts.js';

describe(routeFactsOf.name, () => {
  const handlerOf = (controller: new () => object, method: string) => (controller.prototype as Record<string, () => void>)[method];
  const sut = (controller: new () => object, method: string) =>
    routeFactsOf(new Reflector(), { getHandler: () => handlerOf(controller, method), getClass: () => controller } as unknown as ExecutionContext);

  it('reads the facts a method’s @Public states, and still marks the route public', () => {
    class OAuthController {
      @Public({ rateLimited: true, checksPassword: true, oauthErrors: true })
      token(): void {}
    }
    expect(sut(OAuthController, 'token')).toEqual({ rateLimited: true, checksPassword: true, oauthErrors: true });
    expect(new Reflector().get<boolean>(IS_PUBLIC, handlerOf(OAuthController, 'token'))).toBe(true);
  });

  it('keeps @Public() with no argument a public route with no facts', () => {
    class DiscoveryController {
      @Public()
      jwks(): void {}
    }
    expect(sut(DiscoveryController, 'jwks')).toEqual({});
    expect(new Reflector().get<boolean>(IS_PUBLIC, handlerOf(DiscoveryController, 'jwks'))).toBe(true);
  });

  it('reads @Auth’s facts apart from the roles and scopes it gives the role and scope guards', () => {
    class TenantUsersController {
      @Auth({ roles: ['admin'], scopes: ['users:write'], tenantParameter: 'tenantId', apiClients: 'by-scopes', checksPassword: true })
      update(): void {}
    }
    const handler = handlerOf(TenantUsersController, 'update');
    expect(sut(TenantUsersController, 'update')).toEqual({ tenantParameter: 'tenantId', apiClients: 'by-scopes', checksPassword: true });
    expect(new Reflector().get(Roles, handler)).toEqual(['admin']);
    expect(new Reflector().get(Scopes, handler)).toEqual(['users:write']);
  });

  it('takes a class’s facts for its methods, and a method’s own decorator replaces them as a whole', () => {
    @Public({ worksWithoutDatabase: true, rateLimited: true })
    class HealthController {
      check(): void {}
      @Public({ oauthErrors: true })
      other(): void {}
    }
    expect(sut(HealthController, 'check')).toEqual({ worksWithoutDatabase: true, rateLimited: true });
    expect(sut(HealthController, 'other')).toEqual({ oauthErrors: true });
  });

  it('puts the RFC 6749 error filter on exactly the routes that state `oauthErrors`', () => {
    class OAuthController {
      @Public({ oauthErrors: true })
      revoke(): void {}
      @Public()
      other(): void {}
    }
    const filtersOf = (method: string) => new Reflector().get<unknown[] | undefined>(EXCEPTION_FILTERS_METADATA, handlerOf(OAuthController, method));
    expect(filtersOf('revoke')).toEqual([OAuthErrorFilter]);
    expect(filtersOf('other')).toBeUndefined();
  });

  it('answers no facts for a route that states none', () => {
    class PlainController {
      list(): void {}
    }
    expect(sut(PlainController, 'list')).toEqual({});
  });
});
