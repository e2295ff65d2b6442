import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult } from '@nestjs/terminus';
import { Public } from '../../access/decorators/public.decorator.js';
import { ServiceHealth } from './service-health.js';

@ApiTags('health')
@Public({ worksWithoutDatabase: true })
@Controller('health')
export class HealthController {
  constructor(private readonly health: ServiceHealth) {}

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
  check(): Promise<HealthCheckResult> {
    return this.health.check();
  }
}
