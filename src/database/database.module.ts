import { setTimeout as sleep } from 'node:timers/promises';
import { Global, Injectable, Logger as NestLogger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ROOT_LOGGER } from '../common/logging/logging.module.js';
import { databaseFailureReason, isDatabaseUnavailable } from '../common/errors/database-unavailable.js';
import { DatabaseNotifications } from './database-notifications.service.js';
import { DatabaseServer } from './database-server.js';
import { dataSourceOptions, servingDataSourceOptions } from './data-source-options.js';
import { UnitOfWork } from './unit-of-work.js';
import { runMigrationsExclusively } from './run-migrations.js';

/** How long a starting instance waits for an unreachable database before it gives up and exits. */
export const DATABASE_STARTUP_WAIT_MS = 60_000;
const FIRST_RETRY_DELAY_MS = 1_000;
const MAX_RETRY_DELAY_MS = 5_000;
const STARTUP_LOG_CONTEXT = 'DatabaseStartup';

/** Where a database URL points, without its credentials: for log lines. */
function whereIs(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

/** Brings the schema up to date on a DataSource of its own, closed afterwards. */
async function migrate(url: string): Promise<void> {
  // Without the serving timeouts: a migration may rightly take minutes, and so may the wait for
  // another instance's migration lock.
  const dataSource = new DataSource(dataSourceOptions(url));
  try {
    await dataSource.initialize();
    await runMigrationsExclusively(dataSource);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

/**
 * Migrates, waiting for the database while it is unreachable (an instance often starts before
 * its database does): one log line per failed attempt, with backoff from 1 s to 5 s, for up to
 * `DATABASE_STARTUP_WAIT_MS`; then one line saying it gives up, and the error that makes the
 * process exit non-zero. Any other failure (wrong password, a broken migration) ends it at once.
 *
 * Logged through the root pino logger directly: Nest's own `Logger` is buffered until the application is built,
 * and a wait of a minute must be visible while it lasts.
 */
async function migrateWhenReachable(url: string, logger: Logger): Promise<void> {
  const where = whereIs(url);
  const giveUpAt = Date.now() + DATABASE_STARTUP_WAIT_MS;
  for (let attempt = 1, delayMs = FIRST_RETRY_DELAY_MS; ; attempt++, delayMs = Math.min(delayMs * 2, MAX_RETRY_DELAY_MS)) {
    try {
      await migrate(url);
      if (attempt > 1) logger.info({ context: STARTUP_LOG_CONTEXT }, `Database at ${where} is reachable (attempt ${attempt})`);
      return;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      const reason = databaseFailureReason(error);
      const leftMs = giveUpAt - Date.now();
      if (leftMs < delayMs) {
        const message = `Database at ${where} not reachable within ${DATABASE_STARTUP_WAIT_MS / 1000} s (attempt ${attempt}: ${reason}); giving up`;
        logger.error({ context: STARTUP_LOG_CONTEXT }, message);
        throw new Error(message, { cause: error });
      }
      logger.warn(
        { context: STARTUP_LOG_CONTEXT },
        `Database at ${where} not reachable (attempt ${attempt}: ${reason}); retrying in ${delayMs / 1000} s, giving up in ${Math.round(leftMs / 1000)} s`,
      );
      await sleep(delayMs);
    }
  }
}

@Module({ providers: [DatabaseServer], exports: [DatabaseServer] })
class DatabaseServerModule {}

/**
 * Runs last on shutdown (after the HTTP server stopped accepting and its requests finished):
 * closes the listener and the pool, then stops the embedded server, so that no connection
 * sees it go away.
 */
@Injectable()
class DatabaseShutdown implements OnApplicationShutdown {
  private readonly logger = new NestLogger(DatabaseShutdown.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: DatabaseNotifications,
    private readonly server: DatabaseServer,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    try {
      await this.notifications.close();
      if (this.dataSource.isInitialized) await this.dataSource.destroy();
      this.logger.log('Database connections closed');
    } finally {
      await this.server.stop();
    }
  }
}

@Global()
@Module({
  imports: [
    DatabaseServerModule,
    TypeOrmModule.forRootAsync({
      imports: [DatabaseServerModule],
      inject: [DatabaseServer, ROOT_LOGGER],
      // Migrations run before any provider can see the DataSource, under an advisory lock, once
      // the database answers; the serving pool opens right after.
      useFactory: async (server: DatabaseServer, logger: Logger) => {
        const url = await server.connectionUrl();
        await migrateWhenReachable(url, logger);
        // The waiting is done above, with clearer lines than @nestjs/typeorm's retry would log.
        return { ...servingDataSourceOptions(url), autoLoadEntities: true, toRetry: () => false };
      },
    }),
  ],
  providers: [DatabaseNotifications, DatabaseShutdown, UnitOfWork],
  exports: [DatabaseNotifications, UnitOfWork],
})
export class DatabaseModule {}
