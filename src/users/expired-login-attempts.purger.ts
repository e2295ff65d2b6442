import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { affectedRows, type ExpiredRowsPurger, type PurgeReport, PurgesExpiredRows } from '../database/expired-rows.js';

/**
 * Lockout counts untouched for a whole window (every failure in it forgotten, every lock over)
 * of a client that is not known (no password check of the account from it passed within
 * `REFRESH_TOKEN_TTL`). The rows a stranger makes, one per account and address guessed from,
 * go after `LOGIN_LOCKOUT`.
 */
@Injectable()
@PurgesExpiredRows()
export class ExpiredLoginAttemptsPurger implements ExpiredRowsPurger {
  private readonly lockoutSeconds: number;
  private readonly knownForSeconds: number;

  constructor(config: ConfigService<AppConfig, true>) {
    this.lockoutSeconds = config.get('login', { infer: true }).lockoutSeconds;
    this.knownForSeconds = config.get('session', { infer: true }).refreshTokenTtlSeconds;
  }

  async purgeExpired(manager: EntityManager): Promise<PurgeReport> {
    return {
      loginAttempts: await affectedRows(
        manager,
        `DELETE FROM login_attempts
         WHERE updated_at < now() - make_interval(secs => $1)
           AND (locked_until IS NULL OR locked_until < now())
           AND (signed_in_at IS NULL OR signed_in_at < now() - make_interval(secs => $2))`,
        [this.lockoutSeconds, this.knownForSeconds],
      ),
    };
  }
}
