import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MetricsService, UNMATCHED_ROUTE } from './metrics.service.js';

/**
 * Counts and times every answered request by its route pattern (`/tenants/:tenantId/users`,
 * never the URL as sent, which would carry ids and grow without bound) and status.
 */
export function recordRequestMetrics(app: NestFastifyApplication): void {
  const metrics = app.get(MetricsService);
  app.getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (request, reply, done) => {
      metrics.request(request.method, request.routeOptions.url ?? UNMATCHED_ROUTE, reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
}
