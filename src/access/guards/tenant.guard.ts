import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../common/errors/domain.error.js';
import { isSuperadmin } from '../roles-and-scopes.js';

/**
 * Global, after authentication: a route with a `:tenantId` parameter acts on that tenant only
 * for callers of that tenant (the tenant comes from the token, never from the request).
 * Superadmins pass.
 */
@Injectable()
export class TenantGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest<{ Params: Record<string, string | undefined> }>>();
    const tenantId = request.params?.tenantId;
    const principal = request.principal;
    if (tenantId === undefined || !principal || isSuperadmin(principal)) return true;
    if (principal.tenantId !== tenantId) throw new DomainError('tenant_mismatch', 'This token belongs to another tenant');
    return true;
  }
}
