import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module.js';
import { HTTP_SERVER_OPTIONS } from './common/http/http-server-options.js';
import { refuseDeeplyNestedBodies } from './common/http/json-depth.js';
import { addSecurityHeaders } from './common/http/security-headers.js';
import { forbidCachingByDefault } from './common/http/no-store.js';
import { refuseUnstorableText } from './common/http/storable-text.js';
import { setupSwagger } from './openapi/swagger.js';
import { PinoNestLogger } from './common/logging/pino-nest-logger.js';
import { RequestLogController } from './common/logging/request-log-controller.js';
import { createRootLogger } from './common/logging/root-logger.js';
import type { AppConfig, TrustProxy } from './config/app-config.js';
import { ManagementServer } from './ops/management/management-server.js';
import { recordRequestMetrics } from './ops/metrics/request-metrics.js';

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * `TRUST_PROXY` as Fastify's `trustProxy`, so that `request.ip` is the client: the socket's peer,
 * or, behind trusted proxies, the first untrusted address of `X-Forwarded-For`. Fastify 5
 * ignores a bare hop count (it cannot tell a proxy from a client that connects directly), so a
 * hop count becomes the trust function Express uses for one: whoever sets it vouches that the
 * service is reachable only through that many proxies.
 */
function fastifyTrustProxy(trustProxy: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trustProxy !== 'number') return trustProxy;
  return (_address, hop) => hop < trustProxy;
}

/** Builds the HTTP application (not yet listening): the same for `main.ts` and the e2e tests. */
export async function createApp(config: AppConfig, logDestination?: DestinationStream): Promise<NestFastifyApplication> {
  const rootLogger = createRootLogger(config, logDestination);
  const adapter = new FastifyAdapter({
    ...HTTP_SERVER_OPTIONS,
    loggerInstance: rootLogger,
    logController: new RequestLogController(),
    bodyLimit: MAX_BODY_BYTES,
    routerOptions: { maxParamLength: 200 },
    trustProxy: fastifyTrustProxy(config.trustProxy),
  });
  // The logger from the first line on, not buffered: Nest would flush a buffer only once the
  // application is initialized, stamping every line up to then (an embedded PostgreSQL started,
  // a wait for the database) with the time of the flush. A provider that fails to build (the
  // database never reachable) is thrown to the caller, as a failed start-up hook is, instead of
  // Nest exiting the process itself.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, rootLogger), adapter, {
    logger: new PinoNestLogger(rootLogger),
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // JSON and form bodies only: anything else is a 415, not a string handed to validation.
  fastify.removeContentTypeParser('text/plain');
  refuseDeeplyNestedBodies(fastify);
  refuseUnstorableText(fastify);
  forbidCachingByDefault(fastify);
  recordRequestMetrics(app);
  // On SIGTERM/SIGINT: stop accepting, finish the requests in flight, close the pool and the
  // listener, stop the embedded PostgreSQL (DatabaseShutdown), then exit 0.
  app.enableShutdownHooks([], { useProcessExit: true });
  addSecurityHeaders(fastify);
  if (config.corsOrigins.length > 0) {
    // The methods the API uses, with credentials (the browser routes' cookies), for the listed origins only.
    app.enableCors({
      origin: config.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
      credentials: true,
      allowedHeaders: ['Authorization', 'Content-Type'],
      maxAge: 600,
    });
  }
  setupSwagger(app, config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/**
 * Starts serving on every interface: the API on `PORT`, then, when `MANAGEMENT_PORT` is set, the
 * management interface, so that a balancer's health check on it never passes before the API is
 * reachable. Both stop when the application closes. A port that cannot be had closes the
 * application (the database and the embedded server included) before the error is thrown.
 */
export async function listen(app: NestFastifyApplication, ports: Pick<AppConfig, 'port' | 'managementPort'>): Promise<void> {
  try {
    await app.listen({ port: ports.port, host: '0.0.0.0' });
    if (ports.managementPort !== undefined) await app.get(ManagementServer).listen(ports.managementPort);
  } catch (error) {
    await app.close();
    throw error;
  }
}
