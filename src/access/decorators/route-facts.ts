import { type ExecutionContext, UseFilters } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { OAuthErrorFilter } from '../../common/errors/oauth-error.filter.js';
import { ROUTE_FACTS_EXTENSION } from '../../common/http/security-schemes.js';

/**
 * What a route does that its guards and its documentation must know, stated where its policy
 * is (`@Auth`, `@Public`) rather than kept in lists of paths elsewhere. Every fact is off unless
 * stated. The nearest decorator states them all: a method's `@Auth` or `@Public` replaces its
 * class's facts as a whole (as the OpenAPI extension that carries them does), so a route's facts
 * are always read in one place.
 */
export interface RouteFacts {
  /**
   * The route parameter that names the tenant acted on: `TenantGuard` admits only callers of
   * that tenant (superadmins pass). A parameter merely called `tenantId` is not checked unless
   * named here.
   */
  tenantParameter?: string;
  /**
   * `'by-scopes'`: API clients, which hold no roles, are judged by their scopes alone (the
   * contract's rule on tenant administration). Otherwise a route's `roles` apply to clients too,
   * and a client is refused `insufficient_role`.
   */
  apiClients?: 'by-scopes';
  /** Under the per-address credential rate limit (`rate_limited`), refused before any password work. */
  rateLimited?: boolean;
  /** Checks a password, so may answer a locked account's `too_many_attempts`. */
  checksPassword?: boolean;
  /**
   * Answers errors in RFC 6749 §5.2 form (`{error, error_description}`); a body refused for its
   * size or type still gets the contract's form.
   */
  oauthErrors?: boolean;
  /** Needs no database, so is never answered the outage's `service_unavailable`. */
  worksWithoutDatabase?: boolean;
  /**
   * Also admits a confidential OAuth client by its own id and secret (HTTP Basic or the body's
   * `client_id`/`client_secret`) in place of an access token, judged by its scopes (RFC 7662's
   * protected resources calling introspection).
   */
  clientCredentials?: boolean;
}

/** The facts that apply to a route anyone may call: no tenant is checked and no caller is known. */
export type PublicRouteFacts = Omit<RouteFacts, 'tenantParameter' | 'apiClients'>;

/** The metadata under which `@Auth` and `@Public` leave a route's facts (read it with `routeFactsOf`). */
export const RouteFacts = Reflector.createDecorator<RouteFacts>();

const seconds = { schema: { type: 'integer' } } as const;

/** The rate limit's answer, with the headers `CredentialRateLimitGuard` sets. */
const rateLimitedResponse = (): MethodDecorator & ClassDecorator =>
  ApiTooManyRequestsResponse({
    description: '`rate_limited`: over `AUTH_RATE_LIMIT` credential requests this minute from this address',
    headers: {
      'Retry-After': { description: 'Seconds until the window resets', ...seconds },
      'RateLimit-Limit': { description: 'Requests allowed per window', ...seconds },
      'RateLimit-Remaining': { description: 'Requests left in the window', ...seconds },
      'RateLimit-Reset': { description: 'Seconds until the window resets', ...seconds },
    },
  });

/**
 * The decorators that make the facts hold: the metadata the guards read (a rate-limited route is
 * limited by `CredentialRateLimitGuard`, global, in rate-limit/), the OpenAPI extension
 * `documentOperation` reads (it sees operations, not handlers), the rate limit's documented
 * answer, and the RFC 6749 error filter of a route that answers OAuth errors, so that what is
 * documented is what is answered.
 */
export function routeFactDecorators(facts: RouteFacts): (MethodDecorator & ClassDecorator)[] {
  return [
    RouteFacts(facts),
    ApiExtension(ROUTE_FACTS_EXTENSION, facts),
    ...(facts.rateLimited ? [rateLimitedResponse()] : []),
    ...(facts.oauthErrors ? [UseFilters(OAuthErrorFilter)] : []),
  ];
}

/** A route's facts, method before class (none stated: all off). Guards cache it per route in a `RouteMetadata`. */
export function routeFactsOf(reflector: Reflector, context: ExecutionContext): RouteFacts {
  return reflector.getAllAndOverride(RouteFacts, [context.getHandler(), context.getClass()]) ?? {};
}
