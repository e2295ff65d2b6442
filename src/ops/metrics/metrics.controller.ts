import { applyDecorators, Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Auth } from '../../access/decorators/authorization.decorators.js';
import { Public } from '../../access/decorators/public.decorator.js';
import { Registry } from 'prom-client';
import { MetricsService } from './metrics.service.js';

const PROMETHEUS_TEXT = Registry.PROMETHEUS_CONTENT_TYPE;

/** What both variants of the route answer, and how it is documented. */
const ScrapeRoute = (): MethodDecorator =>
  applyDecorators(
    ApiOperation({
      summary: 'Prometheus metrics',
      description: 'Requests by route and status with latencies, sign-ins by outcome, refreshes, reuse detections, revocations, lockouts, database pool use.',
    }),
    ApiProduces(PROMETHEUS_TEXT),
    ApiOkResponse({ description: 'The metrics in Prometheus text format', schema: { type: 'string' } }),
    Header('Content-Type', PROMETHEUS_TEXT),
  );

/**
 * `GET /metrics` for platform tokens (the default): the counts cover every tenant, so a tenant's
 * admin or `audit:read` client may not read them. Only superadmins hold `tenants:read`; no API
 * client can be given it.
 */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Auth({ scopes: ['tenants:read'] })
  @ScrapeRoute()
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
  @ScrapeRoute()
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}
