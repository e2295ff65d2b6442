import { Global, Injectable, Logger as NestLogger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { getDataSourceToken, InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseNotifications } from './database-notifications.service.js';
import { DatabaseServer } from './database-server.js';
import { DatabaseStartup } from './database-startup.js';
import { dataSourceOptions, MIGRATIONS_APPLICATION_NAME, servingDataSourceOptions } from './data-source-options.js';
import { UnitOfWork } from './unit-of-work.js';
import { runMigrationsExclusively } from './run-migrations.js';

/**
 * Ends what a failed `initialize()` left open: the pool, when it was made but its first queries
 * failed (`initialize` cleans up only after it has marked itself initialized).
 */
async function initializeOrClose(dataSource: DataSource): Promise<DataSource> {
  try {
    return await dataSource.initialize();
  } catch (error) {
    if (!dataSource.isInitialized) await dataSource.driver.disconnect().catch(() => undefined);
    throw error;
  }
}

/** Brings the schema up to date on a DataSource of its own, closed afterwards. */
async function migrate(url: string): Promise<void> {
  // Without the serving timeouts: a migration may rightly take minutes, and so may the wait for
  // another instance's migration lock.
  const dataSource = await initializeOrClose(new DataSource(dataSourceOptions(url, {}, MIGRATIONS_APPLICATION_NAME)));
  try {
    await runMigrationsExclusively(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

@Module({ providers: [DatabaseServer, DatabaseStartup], exports: [DatabaseServer, DatabaseStartup] })
class DatabaseServerModule {}

/** Resolved once the serving pool is open: before any provider's start-up hook can use it. */
const SERVING_POOL_OPEN = Symbol('SERVING_POOL_OPEN');

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
      inject: [DatabaseServer, DatabaseStartup],
      // Migrations run before any provider can see the DataSource, under an advisory lock, once
      // the database answers; the serving pool opens right after (SERVING_POOL_OPEN).
      useFactory: async (server: DatabaseServer, startup: DatabaseStartup) => {
        const url = await server.connectionUrl();
        await startup.retry('running the migrations', () => migrate(url));
        // Opened by SERVING_POOL_OPEN, waiting as DatabaseStartup does: @nestjs/typeorm's own
        // retry would log a stack trace per attempt and wait a fixed delay without a budget.
        return { ...servingDataSourceOptions(url), autoLoadEntities: true, manualInitialization: true, toRetry: () => false };
      },
    }),
  ],
  providers: [
    {
      provide: SERVING_POOL_OPEN,
      inject: [getDataSourceToken(), DatabaseStartup],
      // Nest resolves every provider before it calls the first start-up hook (onModuleInit), and
      // nothing touches the database before then: so every hook finds the pool open.
      useFactory: (dataSource: DataSource, startup: DatabaseStartup) => startup.retry('opening the connection pool', () => initializeOrClose(dataSource)),
    },
    DatabaseNotifications,
    DatabaseShutdown,
    UnitOfWork,
  ],
  // DatabaseServerModule for DatabaseStartup: every module's start-up hooks wait through it.
  exports: [DatabaseNotifications, UnitOfWork, DatabaseServerModule],
})
export class DatabaseModule {}
