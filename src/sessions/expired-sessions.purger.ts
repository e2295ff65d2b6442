import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { affectedRows, type ExpiredRowsPurger, type PurgeReport, PurgesExpiredRows } from '../database/expired-rows.js';

/** Revoked sessions are kept a while for whoever looks into an incident, then go. */
const REVOKED_SESSION_RETENTION_DAYS = 7;

/** Expired or long-revoked sessions (their refresh tokens go with them), and sealed successors past the grace window. */
@Injectable()
@PurgesExpiredRows()
export class ExpiredSessionsPurger implements ExpiredRowsPurger {
  private readonly graceSeconds: number;

  constructor(config: ConfigService<AppConfig, true>) {
    this.graceSeconds = config.get('session', { infer: true }).refreshReuseGraceSeconds;
  }

  async purgeExpired(manager: EntityManager): Promise<PurgeReport> {
    return {
      sessions: await affectedRows(manager, `DELETE FROM sessions WHERE expires_at < now() OR revoked_at < now() - make_interval(days => $1)`, [REVOKED_SESSION_RETENTION_DAYS]),
      seals: await affectedRows(
        manager,
        `UPDATE refresh_tokens SET replacement_sealed = NULL WHERE replacement_sealed IS NOT NULL AND rotated_at < now() - make_interval(secs => $1)`,
        [this.graceSeconds],
      ),
    };
  }
}
