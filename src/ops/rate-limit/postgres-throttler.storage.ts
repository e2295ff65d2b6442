import { Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PreparedStatement } from '../../database/prepared-statement.js';

/** What a hit answers (the package does not export the type by name). */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * One hit, atomically: start a window (first hit, or the previous window is over) or count into
 * the current one, and answer the count with the seconds the window has left. Concurrent hits
 * on one key queue on the row lock, so each sees a distinct count and no more than `limit` pass.
 */
const HIT = new PreparedStatement<{ hits: number; seconds_left: number }>(
  'rate-limit-hit',
  `
  INSERT INTO rate_limits AS r (key, hits, expires_at)
  VALUES ($1, 1, now() + make_interval(secs => $2))
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN r.expires_at <= now() THEN 1 ELSE r.hits + 1 END,
    expires_at = CASE WHEN r.expires_at <= now() THEN excluded.expires_at ELSE r.expires_at END
  RETURNING r.hits, ceil(extract(epoch FROM r.expires_at - now()))::integer AS seconds_left`,
);

/**
 * A `ThrottlerStorage` (`@nestjs/throttler`'s contract) on PostgreSQL, the one thing every
 * instance shares, so that a limit holds across instances. A fixed window per key: refusals
 * last until the window ends (`blockDuration` is not used). Expired rows go with the periodic
 * cleanup.
 *
 * Only the package's types are used: it is published as CommonJS, and its runtime requires
 * `@nestjs/common`, which Nest 12 publishes as ES modules only; Node loads that, but the e2e
 * tests' Jest 29 cannot (`Must use import to load ES Module`), so `ThrottlerGuard` and
 * `ThrottlerModule` would break every suite that boots the application.
 */
@Injectable()
export class PostgresThrottlerStorage implements ThrottlerStorage {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, _throttlerName: string): Promise<ThrottlerStorageRecord> {
    const [row] = await HIT.run(this.dataSource, [key, ttl / 1000]);
    if (!row) throw new Error('The rate-limit upsert answered no row');
    const secondsLeft = Math.max(1, row.seconds_left);
    const isBlocked = row.hits > limit;
    return { totalHits: row.hits, timeToExpire: secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? secondsLeft : 0 };
  }
}
