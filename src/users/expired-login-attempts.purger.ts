import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { affectedRows, type ExpiredRowsPurger, type PurgeReport, PurgesExpiredRows } from '../database/expired-rows.js';

/** Lockout counts untouched for a whole window: every failure in it is forgotten and every lock over. */
@Injectable()
@PurgesExpiredRows()
export class ExpiredLoginAttemptsPurger implements ExpiredRowsPurger {
  private readonly lockoutSeconds: number;

  constructor(config: ConfigService<AppConfig, true>) {
    this.lockoutSeconds = config.get('login', { infer: true }).lockoutSeconds;
  }

  async purgeExpired(manager: EntityManager): Promise<PurgeReport> {
    return {
      loginAttempts: await affectedRows(
        manager,
        `DELETE FROM login_attempts WHERE updated_at < now() - make_interval(secs => $1) AND (locked_until IS NULL OR locked_until < now())`,
        [this.lockoutSeconds],
      ),
    };
  }
}
