import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { routeFactsOf } from '../../access/decorators/route-facts.js';
import { RouteMetadata } from '../../access/decorators/route-metadata.js';
import { DomainError } from '../../common/errors/domain.error.js';
import { clientIpOf, countedClientOf } from '../../common/http/request-context.js';
import type { AppConfig } from '../../config/app-config.js';
import { PostgresThrottlerStorage } from './postgres-throttler.storage.js';

export const RATE_LIMIT_WINDOW_MS = 60_000;

/**
 * `AUTH_RATE_LIMIT` requests a minute per client to the routes whose `@Auth` or `@Public` states
 * `rateLimited` (the credential endpoints), one budget for all of them, counted in PostgreSQL so
 * that it holds across instances. Global, after the scope check (`AppModule`): it runs before
 * any guard a route adds itself, such as the password check of `LocalAuthGuard`, so that an
 * over-limit client is refused before any password work. Other routes pass untouched. It follows
 * `ThrottlerGuard`'s steps (tracker, key, `ThrottlerStorage.increment`, headers, refusal) and
 * speaks the contract: the IETF `RateLimit-*` headers on allowed and refused answers, and a
 * refusal thrown as the domain's `rate_limited`, which the error filters answer with `Retry-After`.
 *
 * The client is `request.ip`: the socket's peer, or what the proxies trusted by `TRUST_PROXY`
 * report. An IPv6 address counts as its /64, which one client can easily hop around in.
 */
@Injectable()
export class CredentialRateLimitGuard implements CanActivate {
  private readonly limit: number;
  private readonly isRateLimited: RouteMetadata<boolean>;

  constructor(
    reflector: Reflector,
    config: ConfigService<AppConfig, true>,
    private readonly storage: PostgresThrottlerStorage,
  ) {
    this.limit = config.get('login', { infer: true }).rateLimitPerMinute;
    this.isRateLimited = new RouteMetadata((context) => routeFactsOf(reflector, context).rateLimited === true);
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    // Answered at once, not as a promise, on the routes it does not limit: nearly all of them.
    if (!this.isRateLimited.of(context)) return true;
    return this.admitWithinLimit(context);
  }

  private async admitWithinLimit(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const key = this.keyOf(http.getRequest<FastifyRequest>());
    const hit = await this.storage.increment(key, RATE_LIMIT_WINDOW_MS, this.limit, RATE_LIMIT_WINDOW_MS, 'credentials');
    void reply.header('RateLimit-Limit', this.limit);
    void reply.header('RateLimit-Remaining', Math.max(0, this.limit - hit.totalHits));
    void reply.header('RateLimit-Reset', hit.timeToExpire);
    if (hit.isBlocked) {
      const seconds = hit.timeToBlockExpire;
      throw new DomainError('rate_limited', `Too many requests from this address; try again in ${seconds} seconds`, { retryAfterSeconds: seconds });
    }
    return true;
  }

  /** The client's address alone: nothing from the body or headers (no email, no token) is kept. */
  private keyOf(request: FastifyRequest): string {
    return `credentials:${countedClientOf(clientIpOf(request))}`;
  }
}
