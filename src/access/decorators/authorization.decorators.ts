import { applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBasicAuth, ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiOAuth2, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AUTH_POLICY_EXTENSION, BEARER_SECURITY, CLIENT_SECURITY, OAUTH2_SECURITY } from '../../common/http/security-schemes.js';
import type { Role, Scope } from '../roles-and-scopes.js';
import { type RouteFacts, routeFactDecorators } from './route-facts.js';

/**
 * Roles of which the caller needs one (superadmin always passes; API clients, which hold none,
 * pass only where the route states `apiClients: 'by-scopes'`).
 */
export const Roles = Reflector.createDecorator<Role[]>();

/** Scopes the token must carry, all of them. A protected route without this needs `profile`. */
export const Scopes = Reflector.createDecorator<Scope[]>();

/** Who may call a protected route, and what else the route does (`RouteFacts`). */
export interface AuthPolicy extends RouteFacts {
  roles?: Role[];
  scopes: Scope[];
}

/** "Needs role moderator or admin and scope users:read", from the same policy the guards read. */
export function describePolicy(policy: Pick<AuthPolicy, 'roles' | 'scopes'>): string {
  const scopes = `scope${policy.scopes.length > 1 ? 's' : ''} ${policy.scopes.map((scope) => `\`${scope}\``).join(' and ')}`;
  if (!policy.roles) return `Needs ${scopes}`;
  return `Needs role ${policy.roles.map((role) => `\`${role}\``).join(' or ')} and ${scopes}`;
}

/**
 * A protected route's whole policy in one place: who may call it (roles, scopes, the tenant
 * parameter, whether API clients are judged by scopes alone), what else it does (`RouteFacts`),
 * and the matching Swagger security and 401/403 answers. The policy and the facts also travel as
 * OpenAPI extensions, which `buildOpenApiDocument` turns into the operation's description and
 * its error answers (`tenant_mismatch` where a tenant parameter is named).
 */
export function Auth(policy: AuthPolicy): MethodDecorator & ClassDecorator {
  const { roles, scopes, ...facts } = policy;
  const forbidden = [roles ? 'insufficient_role' : undefined, 'insufficient_scope'].filter((item) => item !== undefined);
  return applyDecorators(
    ...(roles ? [Roles(roles)] : []),
    Scopes(scopes),
    ...routeFactDecorators(facts),
    ApiBearerAuth(BEARER_SECURITY),
    ApiOAuth2(scopes, OAUTH2_SECURITY),
    ...(facts.clientCredentials ? [ApiBasicAuth(CLIENT_SECURITY)] : []),
    ApiExtension(AUTH_POLICY_EXTENSION, { roles: roles ?? [], scopes }),
    ApiUnauthorizedResponse({ description: 'No token (`token_missing`) or an unusable one (`token_invalid`, `token_expired`, `token_revoked`)' }),
    ApiForbiddenResponse({ description: `${describePolicy(policy)} (${forbidden.map((code) => `\`${code}\``).join(', ')})` }),
  );
}
