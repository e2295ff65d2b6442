import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { DatabaseStartup } from '../database/database-startup.js';
import { CLOCK_TOLERANCE_SECONDS } from './access-token-format.js';

/**
 * How long an access token issued by any instance may live: the longest `ACCESS_TOKEN_TTL` any
 * instance sharing the database has started with (it only grows, so a TTL lowered in a rolling
 * restart still covers the tokens issued before). Whatever must outlive every token it covers
 * (a revocation entry, a retired signing key) is measured with this, never with the local setting.
 */
@Injectable()
export class AccessTokenLifetime implements OnModuleInit {
  private readonly ownTtlSeconds: number;

  constructor(
    config: ConfigService<AppConfig, true>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly startup: DatabaseStartup,
  ) {
    this.ownTtlSeconds = config.get('jwt', { infer: true }).accessTokenTtlSeconds;
  }

  async onModuleInit(): Promise<void> {
    await this.startup.retry("recording this instance's access-token lifetime", () =>
      this.dataSource.query(
        `INSERT INTO access_token_lifetime (singleton, longest_ttl_seconds) VALUES (true, $1)
         ON CONFLICT (singleton) DO UPDATE SET longest_ttl_seconds = GREATEST(access_token_lifetime.longest_ttl_seconds, excluded.longest_ttl_seconds)`,
        [this.ownTtlSeconds],
      ),
    );
  }

  /** The longest lifetime, read now (another instance may have raised it since this one started). */
  async longestTtlSeconds(manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [row] = await manager.query<Array<{ longest_ttl_seconds: number }>>('SELECT longest_ttl_seconds FROM access_token_lifetime');
    return Math.max(row?.longest_ttl_seconds ?? 0, this.ownTtlSeconds);
  }

  /** Epoch seconds by which every access token issued until now has expired, leeway included. */
  async allExpiredBy(manager?: EntityManager): Promise<number> {
    return Math.floor(Date.now() / 1000) + (await this.longestTtlSeconds(manager)) + CLOCK_TOLERANCE_SECONDS;
  }
}
