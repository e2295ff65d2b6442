import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { isSuperadmin } from '../roles-and-scopes.js';
import type { Actor } from '../actor.js';
import { requestContextOf } from '../../common/http/request-context.js';

/** The caller of a protected route as an `Actor` (set up by `JwtAuthGuard`). */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const principal = request.principal;
  if (!principal) throw new Error('CurrentActor used on a route that JwtAuthGuard did not authenticate');
  return { id: principal.subject, isSuperadmin: isSuperadmin(principal), scopes: principal.scopes, origin: requestContextOf(request) };
});
