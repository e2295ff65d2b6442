import { Global, Module } from '@nestjs/common';
import { ExpiredRateLimitsPurger } from './expired-rate-limits.purger.js';
import { PostgresThrottlerStorage } from './postgres-throttler.storage.js';

/**
 * The rate limit's counters, for `CredentialRateLimitGuard` wherever `@CredentialRateLimit()`
 * puts it (guards are built in the module of their controller, hence global). It limits
 * nothing by itself: routes opt in with the decorator.
 */
@Global()
@Module({ providers: [PostgresThrottlerStorage, ExpiredRateLimitsPurger], exports: [PostgresThrottlerStorage] })
export class RateLimitModule {}
