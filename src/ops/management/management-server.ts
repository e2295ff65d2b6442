import { STATUS_CODES } from 'node:http';
import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { Registry } from 'prom-client';
import { DomainError } from '../../common/errors/domain.error.js';
import { answeredCode } from '../../common/errors/error-code.js';
import type { ErrorBody } from '../../common/errors/http-error.filter.js';
import { HTTP_SERVER_OPTIONS } from '../../common/http/http-server-options.js';
import { forbidCachingByDefault } from '../../common/http/no-store.js';
import { addSecurityHeaders } from '../../common/http/security-headers.js';
import { ServiceHealth } from '../health/service-health.js';
import { MetricsService } from '../metrics/metrics.service.js';

/**
 * The management interface (`MANAGEMENT_PORT`, after Keycloak's): `GET /metrics` and
 * `GET /health` with no token, for the scrapers and balancers of a private network, on a listener
 * of its own. It is a plain Fastify server that knows those two routes and nothing else (every
 * other path is a 404), so that no route of the API, and none added later, can be reached through
 * it without a token. It answers from the same `MetricsService` and `ServiceHealth` as the main
 * port, and stops listening when the application shuts down, just before the main listener.
 */
@Injectable()
export class ManagementServer implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ManagementServer.name);
  private server?: FastifyInstance;

  constructor(
    private readonly metrics: MetricsService,
    private readonly health: ServiceHealth,
  ) {}

  /** Starts listening on `port`, on every interface as the main port does: keep it off public networks. */
  async listen(port: number): Promise<void> {
    const server = Fastify({ ...HTTP_SERVER_OPTIONS, logger: false });
    addSecurityHeaders(server);
    forbidCachingByDefault(server);
    server.get('/metrics', async (_request, reply) => reply.type(Registry.PROMETHEUS_CONTENT_TYPE).send(await this.metrics.scrape()));
    server.get('/health', async (_request, reply) => {
      try {
        return await reply.send(await this.health.check());
      } catch (error) {
        return this.refuse(reply, error);
      }
    });
    server.setNotFoundHandler((_request, reply) => this.refuse(reply, new DomainError('not_found', 'The management port serves GET /metrics and GET /health only')));
    server.setErrorHandler((error, _request, reply) => this.refuse(reply, error));
    await server.listen({ port, host: '0.0.0.0' });
    this.server = server;
    this.logger.log(`Management interface (/metrics, /health, no token) on port ${port}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }

  /** The contract's error body: a `DomainError` as it is, anything else a logged 500. */
  private refuse(reply: FastifyReply, error: unknown): FastifyReply {
    const refusal = error instanceof DomainError ? error : new DomainError('internal_error', 'Internal server error');
    if (refusal !== error) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (refusal.details.retryAfterSeconds !== undefined) void reply.header('Retry-After', String(refusal.details.retryAfterSeconds));
    const body: ErrorBody = { statusCode: refusal.status, error: STATUS_CODES[refusal.status] ?? 'Error', message: refusal.message, code: answeredCode(refusal.code) };
    return reply.status(refusal.status).send(body);
  }
}
