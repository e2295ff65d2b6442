import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Authenticator } from '../authentication/authenticator.service.js';
import { publicRoutes } from './caller.js';
import { type RouteFacts, routeFactsOf } from '../decorators/route-facts.js';
import { RouteMetadata } from '../decorators/route-metadata.js';
import type { Principal } from '../principal.js';

/**
 * Global, first: every route needs a caller the `Authenticator` accepts unless it is marked
 * `@Public()`. Bearer access tokens are verified by the passport-jwt `JwtStrategy` behind the
 * tokens module's resolver; the caller goes on `request.principal`.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly isPublic: RouteMetadata<boolean>;
  private readonly facts: RouteMetadata<RouteFacts>;

  constructor(
    reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {
    this.isPublic = publicRoutes(reflector);
    this.facts = new RouteMetadata((context) => routeFactsOf(reflector, context));
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.isPublic.of(context)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = this.authenticator.authenticate(request, this.facts.of(context));
    if (principal instanceof Promise) return principal.then((settled) => admit(request, settled));
    return admit(request, principal);
  }
}

function admit(request: FastifyRequest, principal: Principal | undefined): true {
  // Fail closed: whatever let an empty answer through, a protected route never runs without a caller.
  if (!principal) throw new Error('The authenticator answered no caller');
  request.principal = principal;
  return true;
}
