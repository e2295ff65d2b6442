import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp, listen } from './app.factory.js';
import { InvalidConfigurationError, loadAppConfig, readProcessEnvironment } from './config/app-config.js';
import { leaveSignalsToTheApplication } from './database/embedded-postgres-server.js';

/**
 * How long a graceful shutdown may take before the process exits anyway (non-zero): a client
 * that keeps a request open must not hold the process past an orchestrator's own grace period
 * (30 s in Kubernetes), after which it would be killed without closing anything.
 */
const SHUTDOWN_DEADLINE_MS = 25_000;

function exitIfShutdownHangs(): void {
  const logger = new Logger('Shutdown');
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log(`${signal}: no new connections; finishing the requests in flight, then closing the database`);
      setTimeout(() => {
        logger.error(`Shutdown did not finish within ${SHUTDOWN_DEADLINE_MS / 1000} s; exiting anyway`);
        process.exit(1);
      }, SHUTDOWN_DEADLINE_MS).unref();
    });
  }
}

async function main(): Promise<void> {
  leaveSignalsToTheApplication();
  let config;
  try {
    config = loadAppConfig(readProcessEnvironment());
  } catch (error) {
    if (!(error instanceof InvalidConfigurationError)) throw error;
    process.stderr.write(`Portcullis will not start. ${error.message}\n`);
    process.exit(1);
  }
  const app = await createApp(config);
  await listen(app, config);
  new Logger('Portcullis').log(`Listening on http://localhost:${config.port} (Swagger UI at http://localhost:${config.port}/docs)`);
  exitIfShutdownHangs();
}

main().catch((error: unknown) => {
  process.stderr.write(`Portcullis failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
