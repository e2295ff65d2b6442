import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { callerOf, publicRoutes } from './caller.js';
import { RouteMetadata } from '../decorators/route-metadata.js';
import { DomainError } from '../../common/errors/domain.error.js';
import { Roles } from '../decorators/authorization.decorators.js';
import { routeFactsOf } from '../decorators/route-facts.js';
import { isSuperadmin, type Role } from '../roles-and-scopes.js';

interface RolePolicy {
  roles: Role[] | undefined;
  /** The route's `apiClients: 'by-scopes'`: a client, which holds no roles, is left to the scope check. */
  clientsByScopes: boolean;
}

/**
 * Global, after the tenant check: the caller needs one of the route's `@Roles`. Superadmins
 * pass; API clients pass only where the route says they are judged by their scopes alone.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  private readonly policyOf: RouteMetadata<RolePolicy>;
  private readonly publicRoute: RouteMetadata<boolean>;

  constructor(reflector: Reflector) {
    this.publicRoute = publicRoutes(reflector);
    this.policyOf = new RouteMetadata((context) => ({
      roles: reflector.getAllAndOverride(Roles, [context.getHandler(), context.getClass()]),
      clientsByScopes: routeFactsOf(reflector, context).apiClients === 'by-scopes',
    }));
  }

  canActivate(context: ExecutionContext): boolean {
    const principal = callerOf(context, this.publicRoute);
    const { roles, clientsByScopes } = this.policyOf.of(context);
    if (!roles || !principal || isSuperadmin(principal)) return true;
    if (principal.kind === 'client' && clientsByScopes) return true;
    if (!roles.some((role) => principal.roles.includes(role))) {
      throw new DomainError('insufficient_role', `This needs the role ${roles.join(' or ')}`);
    }
    return true;
  }
}
