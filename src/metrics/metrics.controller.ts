import { applyDecorators, Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/decorators/authorization.decorators.js';
import { Public } from '../common/decorators/public.decorator.js';
import { MetricsService } from './metrics.service.js';

const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

const documented = (): MethodDecorator =>
  applyDecorators(
    ApiOperation({
      summary: 'Prometheus metrics',
      description: 'Requests by route and status with latencies, sign-ins by outcome, refreshes, reuse detections, revocations, lockouts, database pool use.',
    }),
    ApiProduces(PROMETHEUS_TEXT),
    ApiOkResponse({ description: 'The metrics in Prometheus text format', schema: { type: 'string' } }),
    Header('Content-Type', PROMETHEUS_TEXT),
  );

/** `GET /metrics` for scrapers holding a token with `audit:read` (the default). */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Auth({ scopes: ['audit:read'] })
  @documented()
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}

/** `GET /metrics` for anyone, registered instead of `MetricsController` when `METRICS_PUBLIC=true`. */
@ApiTags('operations')
@Controller('metrics')
export class PublicMetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Public()
  @documented()
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}
