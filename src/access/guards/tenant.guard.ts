import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../common/errors/domain.error.js';
import { routeFactsOf } from '../decorators/route-facts.js';
import { callerOf, publicRoutes } from './caller.js';
import { RouteMetadata } from '../decorators/route-metadata.js';
import { isSuperadmin } from '../roles-and-scopes.js';

/**
 * Global, after authentication: a route whose `@Auth` names a `tenantParameter` acts on that
 * tenant only for callers of that tenant (the tenant comes from the token, never from the
 * request). Superadmins pass. A parameter is checked because the route names it, not because of
 * what it is called.
 */
@Injectable()
export class TenantGuard implements CanActivate {
  private readonly tenantParameterOf: RouteMetadata<string | undefined>;
  private readonly publicRoute: RouteMetadata<boolean>;

  constructor(reflector: Reflector) {
    this.publicRoute = publicRoutes(reflector);
    this.tenantParameterOf = new RouteMetadata((context) => routeFactsOf(reflector, context).tenantParameter);
  }

  canActivate(context: ExecutionContext): boolean {
    const principal = callerOf(context, this.publicRoute);
    const parameter = this.tenantParameterOf.of(context);
    if (parameter === undefined || !principal || isSuperadmin(principal)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest<{ Params: Record<string, string | undefined> }>>();
    const tenantId = request.params?.[parameter];
    // A route naming a parameter it does not have is a mistake; skipping the check would hide it.
    if (tenantId === undefined) throw new Error(`The route names "${parameter}" as its tenant parameter but has no such parameter`);
    if (principal.tenantId !== tenantId) throw new DomainError('tenant_mismatch', 'This token belongs to another tenant');
    return true;
  }
}
