import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { type RequestContext, requestContextOf } from '../http/request-context.js';

/** Where the request came from (client IP and user agent), as sessions and audit events record it. */
export const Origin = createParamDecorator((_: unknown, context: ExecutionContext): RequestContext =>
  requestContextOf(context.switchToHttp().getRequest<FastifyRequest>()),
);
