import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { IS_PUBLIC } from '../decorators/public.decorator.js';
import { RouteMetadata } from '../decorators/route-metadata.js';
import type { Principal } from '../principal.js';

/** Whether a route is marked `@Public()`, read once per route. */
export const publicRoutes = (reflector: Reflector): RouteMetadata<boolean> =>
  new RouteMetadata((context) => reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [context.getHandler(), context.getClass()]) === true);

/**
 * The caller the guards after `JwtAuthGuard` judge: none only on a route marked `@Public()`.
 * A protected route that reaches them without one was let through by mistake (a resolver that
 * answered nothing, a guard out of order): refused, never taken for a public route.
 */
export function callerOf(context: ExecutionContext, publicRoute: RouteMetadata<boolean>): Principal | undefined {
  const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
  if (!principal && !publicRoute.of(context)) throw new Error('A protected route reached the access guards without a caller');
  return principal;
}
