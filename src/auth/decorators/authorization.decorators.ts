import { applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOAuth2, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { BEARER_SECURITY, OAUTH2_SECURITY } from '../../common/http/security-schemes.js';
import type { Role, Scope } from '../roles-and-scopes.js';

/** Roles of which the caller needs one (superadmin always passes; API clients are judged by scopes alone). */
export const Roles = Reflector.createDecorator<Role[]>();

/** Scopes the token must carry, all of them. A protected route without this needs `profile`. */
export const Scopes = Reflector.createDecorator<Scope[]>();

export interface AuthPolicy {
  roles?: Role[];
  scopes: Scope[];
}

/**
 * A protected route's whole policy in one place: who may call it (roles, scopes; a `:tenantId`
 * route also checks the tenant), and the matching Swagger security and 401/403 answers.
 */
export function Auth(policy: AuthPolicy): MethodDecorator & ClassDecorator {
  const forbidden = [
    'tenant_mismatch (a `:tenantId` of another tenant)',
    policy.roles ? `insufficient_role (needs ${policy.roles.join(' or ')})` : undefined,
    `insufficient_scope (needs ${policy.scopes.join(' ')})`,
  ].filter((item) => item !== undefined);
  return applyDecorators(
    ...(policy.roles ? [Roles(policy.roles)] : []),
    Scopes(policy.scopes),
    ApiBearerAuth(BEARER_SECURITY),
    ApiOAuth2(policy.scopes, OAUTH2_SECURITY),
    ApiUnauthorizedResponse({ description: 'No token (`token_missing`) or an unusable one (`token_invalid`, `token_expired`, `token_revoked`)' }),
    ApiForbiddenResponse({ description: forbidden.join('; ') }),
  );
}
