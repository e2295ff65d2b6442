import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { DomainError } from '../../common/errors/domain.error.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { NotificationsHealthIndicator } from './notifications.health.js';

/**
 * Whether this instance is fit to serve: the database answers and the notifications are heard.
 * The one check behind `GET /health` on the main port and on the management port.
 */
@Injectable()
export class ServiceHealth {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly notifications: NotificationsHealthIndicator,
  ) {}

  /** The healthy result, or a `service_unavailable` saying which part is down and why. */
  async check(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.database.check(2000), () => this.notifications.check()]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const failed = (error.getResponse() as HealthCheckResult).error ?? {};
      const reasons = Object.entries(failed).map(([name, detail]) => `${name}: ${String(detail?.problem ?? detail?.message ?? 'down')}`);
      throw new DomainError('service_unavailable', `Not ready (${reasons.join('; ')})`, { retryAfterSeconds: 5 });
    }
  }
}
