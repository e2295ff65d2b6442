import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { Public } from '../../access/decorators/public.decorator.js';
import { DomainError } from '../../common/errors/domain.error.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { NotificationsHealthIndicator } from './notifications.health.js';

@ApiTags('health')
@Public({ worksWithoutDatabase: true })
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly notifications: NotificationsHealthIndicator,
  ) {}

  @Get()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Liveness, database reachability, and whether this instance hears the others (LISTEN/NOTIFY)' })
  @ApiOkResponse({
    description: 'Healthy',
    schema: {
      type: 'object',
      properties: { status: { type: 'string', enum: ['ok'] }, info: { type: 'object' }, error: { type: 'object' }, details: { type: 'object' } },
      example: { status: 'ok', info: { database: { status: 'up' }, notifications: { status: 'up', lastHeartbeatMsAgo: 180 } }, error: {}, details: {} },
    },
  })
  @ApiServiceUnavailableResponse({ description: 'The database is unreachable, or the notification connection is lost or resynchronizing (`service_unavailable`, with the reason)' })
  async check(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.database.check(2000), () => this.notifications.check()]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      // The contract's error shape, saying which part is down and why.
      const failed = (error.getResponse() as HealthCheckResult).error ?? {};
      const reasons = Object.entries(failed).map(([name, detail]) => `${name}: ${String(detail?.problem ?? detail?.message ?? 'down')}`);
      throw new DomainError('service_unavailable', `Not ready (${reasons.join('; ')})`, { retryAfterSeconds: 5 });
    }
  }
}
