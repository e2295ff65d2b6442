import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { RouteMetadata } from '../decorators/route-metadata.js';
import { DomainError } from '../../common/errors/domain.error.js';
import { Roles } from '../decorators/authorization.decorators.js';
import { isSuperadmin, type Role } from '../roles-and-scopes.js';

/** Global, after the tenant check: the caller needs one of the route's `@Roles`. */
@Injectable()
export class RolesGuard implements CanActivate {
  private readonly rolesOf: RouteMetadata<Role[] | undefined>;

  constructor(reflector: Reflector) {
    this.rolesOf = new RouteMetadata((context) => reflector.getAllAndOverride(Roles, [context.getHandler(), context.getClass()]));
  }

  canActivate(context: ExecutionContext): boolean {
    const roles = this.rolesOf.of(context);
    const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
    if (!roles || !principal || isSuperadmin(principal) || principal.kind === 'client') return true;
    if (!roles.some((role) => principal.roles.includes(role))) {
      throw new DomainError('insufficient_role', `This needs the role ${roles.join(' or ')}`);
    }
    return true;
  }
}
