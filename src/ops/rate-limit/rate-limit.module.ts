import { Global, Module } from '@nestjs/common';
import { ExpiredRateLimitsPurger } from './expired-rate-limits.purger.js';
import { PostgresThrottlerStorage } from './postgres-throttler.storage.js';

/**
 * The rate limit's counters, for `CredentialRateLimitGuard`, which `AppModule` registers as a
 * global guard. It limits only the routes whose `@Auth` or `@Public` states `rateLimited`.
 */
@Global()
@Module({ providers: [PostgresThrottlerStorage, ExpiredRateLimitsPurger], exports: [PostgresThrottlerStorage] })
export class RateLimitModule {}
