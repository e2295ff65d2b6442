import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { affectedRows, type ExpiredRowsPurger, type PurgeReport, PurgesExpiredRows } from '../../database/expired-rows.js';

/** Rate-limit windows that have ended. */
@Injectable()
@PurgesExpiredRows()
export class ExpiredRateLimitsPurger implements ExpiredRowsPurger {
  async purgeExpired(manager: EntityManager): Promise<PurgeReport> {
    return { rateLimits: await affectedRows(manager, `DELETE FROM rate_limits WHERE expires_at <= now()`) };
  }
}
