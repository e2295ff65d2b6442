import { applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiOAuth2, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AUTH_POLICY_EXTENSION, BEARER_SECURITY, OAUTH2_SECURITY } from '../../common/http/security-schemes.js';
import type { Role, Scope } from '../roles-and-scopes.js';

/** Roles of which the caller needs one (superadmin always passes; API clients are judged by scopes alone). */
export const Roles = Reflector.createDecorator<Role[]>();

/** Scopes the token must carry, all of them. A protected route without this needs `profile`. */
export const Scopes = Reflector.createDecorator<Scope[]>();

export interface AuthPolicy {
  roles?: Role[];
  scopes: Scope[];
}

/** "Needs role moderator or admin and scope users:read", from the same policy the guards read. */
export function describePolicy(policy: AuthPolicy): string {
  const scopes = `scope${policy.scopes.length > 1 ? 's' : ''} ${policy.scopes.map((scope) => `\`${scope}\``).join(' and ')}`;
  if (!policy.roles) return `Needs ${scopes}`;
  return `Needs role ${policy.roles.map((role) => `\`${role}\``).join(' or ')} and ${scopes}`;
}

/**
 * A protected route's whole policy in one place: who may call it (roles, scopes; a `:tenantId`
 * route also checks the tenant), and the matching Swagger security and 401/403 answers. The
 * policy also travels as an OpenAPI extension, which `buildOpenApiDocument` turns into the
 * operation's description and its 403 codes (it sees the path, so it adds `tenant_mismatch` to
 * `:tenantId` routes only).
 */
export function Auth(policy: AuthPolicy): MethodDecorator & ClassDecorator {
  const forbidden = [policy.roles ? 'insufficient_role' : undefined, 'insufficient_scope'].filter((item) => item !== undefined);
  return applyDecorators(
    ...(policy.roles ? [Roles(policy.roles)] : []),
    Scopes(policy.scopes),
    ApiBearerAuth(BEARER_SECURITY),
    ApiOAuth2(policy.scopes, OAUTH2_SECURITY),
    ApiExtension(AUTH_POLICY_EXTENSION, { roles: policy.roles ?? [], scopes: policy.scopes }),
    ApiUnauthorizedResponse({ description: 'No token (`token_missing`) or an unusable one (`token_invalid`, `token_expired`, `token_revoked`)' }),
    ApiForbiddenResponse({ description: `${describePolicy(policy)} (${forbidden.map((code) => `\`${code}\``).join(', ')})` }),
  );
}
