import { DiscoveryService } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { RouteFacts } from '../decorators/route-facts.js';
import type { Principal } from '../principal.js';

/** A resolver's answer when the request carries no credential of its kind: the next one is asked. */
export const NOT_MINE = Symbol('not mine');

export type Resolution = Principal | typeof NOT_MINE;

/**
 * One kind of credential (the bearer access token; next the browser's cookie; later personal
 * access tokens). `resolve` answers the principal the request's credential speaks for, or
 * `NOT_MINE`; a credential of its kind that it refuses is thrown as a `DomainError` with the
 * contract's code (`token_invalid`, `token_revoked`, …). A cached answer may come back at once,
 * without a promise: this runs on every request.
 */
export interface CredentialResolver {
  /** `route`: the facts of the route asked for, for a credential only some routes take (`clientCredentials`). */
  resolve(request: FastifyRequest, route: RouteFacts): Resolution | Promise<Resolution>;
}

export interface CredentialResolverOptions {
  /** Lower is asked first: the `Authorization` header (0) before any cookie. */
  order: number;
}

/**
 * Marks a feature module's provider as a `CredentialResolver`; the `Authenticator` finds every
 * one so marked, so that `access/` depends on none of the modules that provide them.
 */
export const ResolvesCredentials = DiscoveryService.createDecorator<CredentialResolverOptions>();
