import { Global, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseNotifications } from './database-notifications.service.js';
import { DatabaseServer } from './database-server.js';
import { dataSourceOptions } from './data-source-options.js';
import { runMigrationsExclusively } from './run-migrations.js';

@Module({ providers: [DatabaseServer], exports: [DatabaseServer] })
class DatabaseServerModule {}

/** Closes the connections before the embedded server stops, so none sees it go away. */
@Injectable()
class DatabaseShutdown implements OnApplicationShutdown {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: DatabaseNotifications,
    private readonly server: DatabaseServer,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.notifications.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.server.stop();
  }
}

@Global()
@Module({
  imports: [
    DatabaseServerModule,
    TypeOrmModule.forRootAsync({
      imports: [DatabaseServerModule],
      inject: [DatabaseServer],
      useFactory: async (server: DatabaseServer) => ({
        ...dataSourceOptions(await server.connectionUrl()),
        retryAttempts: 5,
        retryDelay: 1000,
      }),
      // Migrations run before any provider can see the DataSource, under an advisory lock.
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        await runMigrationsExclusively(dataSource);
        return dataSource;
      },
    }),
  ],
  providers: [DatabaseNotifications, DatabaseShutdown],
  exports: [DatabaseNotifications],
})
export class DatabaseModule {}
