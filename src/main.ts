import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp, listen } from './app.factory.js';
import { InvalidConfigurationError, loadAppConfig, readProcessEnvironment } from './config/app-config.js';
import { DatabaseUnreachableAtStartup } from './database/database-startup.js';
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

/**
 * A signal before the service listens ends the process at once: nothing is served yet, and
 * Nest's graceful shutdown would first wait for the start-up to finish, which can be a minute of
 * waiting for the database. Exiting stops an embedded PostgreSQL all the same (its exit hook).
 * Answers the function that hands signals back to the application once it listens.
 */
function exitOnSignalWhileStarting(): () => void {
  const exit = (signal: NodeJS.Signals) => {
    process.stderr.write(`Portcullis did not start: ${signal} arrived while it was starting\n`);
    process.exit(1);
  };
  process.once('SIGTERM', exit).once('SIGINT', exit);
  return () => process.removeListener('SIGTERM', exit).removeListener('SIGINT', exit);
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
  const handSignalsToTheApplication = exitOnSignalWhileStarting();
  const app = await createApp(config);
  await listen(app, config);
  handSignalsToTheApplication();
  new Logger('Portcullis').log(`Listening on http://localhost:${config.port} (Swagger UI at http://localhost:${config.port}/docs)`);
  exitIfShutdownHangs();
}

main().catch((error: unknown) => {
  // The cause, and what to check, in one line: no stack trace for a database that never answered.
  if (error instanceof DatabaseUnreachableAtStartup) {
    process.stderr.write(`Portcullis did not start: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`Portcullis failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
