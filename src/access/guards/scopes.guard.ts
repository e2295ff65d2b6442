import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { callerOf, publicRoutes } from './caller.js';
import { RouteMetadata } from '../decorators/route-metadata.js';
import { DomainError } from '../../common/errors/domain.error.js';
import { Scopes } from '../decorators/authorization.decorators.js';
import type { Scope } from '../roles-and-scopes.js';

/** The contract's default for an authenticated route that names no other scope. */
export const DEFAULT_SCOPES: Scope[] = ['profile'];

/** Global, last: the token must carry every scope of the route's `@Scopes` (`profile` when none is named). */
@Injectable()
export class ScopesGuard implements CanActivate {
  private readonly requiredScopesOf: RouteMetadata<Scope[]>;
  private readonly publicRoute: RouteMetadata<boolean>;

  constructor(reflector: Reflector) {
    this.publicRoute = publicRoutes(reflector);
    this.requiredScopesOf = new RouteMetadata((context) => reflector.getAllAndOverride(Scopes, [context.getHandler(), context.getClass()]) ?? DEFAULT_SCOPES);
  }

  canActivate(context: ExecutionContext): boolean {
    const principal = callerOf(context, this.publicRoute);
    if (!principal) return true;
    const required = this.requiredScopesOf.of(context);
    const missing = required.filter((scope) => !principal.scopes.includes(scope));
    if (missing.length > 0) {
      throw new DomainError('insufficient_scope', `This needs the scope ${required.join(' ')}`, { requiredScopes: required });
    }
    return true;
  }
}
