import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { affectedRows, type ExpiredRowsPurger, type PurgeReport, PurgesExpiredRows } from '../database/expired-rows.js';

/** Audit events older than `AUDIT_RETENTION`. */
@Injectable()
@PurgesExpiredRows()
export class ExpiredAuditEventsPurger implements ExpiredRowsPurger {
  private readonly retentionSeconds: number;

  constructor(config: ConfigService<AppConfig, true>) {
    this.retentionSeconds = config.get('audit', { infer: true }).retentionSeconds;
  }

  async purgeExpired(manager: EntityManager): Promise<PurgeReport> {
    return { auditEvents: await affectedRows(manager, `DELETE FROM audit_events WHERE at < now() - make_interval(secs => $1)`, [this.retentionSeconds]) };
  }
}
