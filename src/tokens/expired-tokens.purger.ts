import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { affectedRows, type ExpiredRowsPurger, type PurgeReport, PurgesExpiredRows } from '../database/expired-rows.js';
import { CLOCK_TOLERANCE_SECONDS } from './access-token-format.js';

/** Revocation entries whose tokens have all expired, and retired signing keys that no longer verify any token. */
@Injectable()
@PurgesExpiredRows()
export class ExpiredTokensPurger implements ExpiredRowsPurger {
  private readonly retiredKeySeconds: number;

  constructor(config: ConfigService<AppConfig, true>) {
    this.retiredKeySeconds = config.get('jwt', { infer: true }).accessTokenTtlSeconds + CLOCK_TOLERANCE_SECONDS;
  }

  async purgeExpired(manager: EntityManager): Promise<PurgeReport> {
    return {
      revocations: await affectedRows(manager, `DELETE FROM revocations WHERE expires_at < now()`),
      // Measured with the longest access-token lifetime of any instance, not this one's.
      signingKeys: await affectedRows(
        manager,
        `DELETE FROM signing_keys WHERE retired_at < now() - make_interval(secs => GREATEST($1, (SELECT longest_ttl_seconds FROM access_token_lifetime) + $2))`,
        [this.retiredKeySeconds, CLOCK_TOLERANCE_SECONDS],
      ),
    };
  }
}
