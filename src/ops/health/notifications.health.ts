import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { DatabaseNotifications } from '../../database/database-notifications.service.js';

/**
 * Whether this instance hears the others (revocations, key rotations): down, and so a 503 that
 * takes the instance out of a balancer's rotation, while its LISTEN connection is lost or its
 * state is being resynchronized; says why.
 */
@Injectable()
export class NotificationsHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly notifications: DatabaseNotifications,
  ) {}

  check(): HealthIndicatorResult<'notifications'> {
    const indicator = this.indicators.check('notifications');
    const { current, lastHeartbeatMsAgo, problem } = this.notifications.state();
    return current ? indicator.up({ lastHeartbeatMsAgo }) : indicator.down({ problem, lastHeartbeatMsAgo });
  }
}
