import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config.js';
import { EmbeddedPostgresServer } from './embedded-postgres-server.js';

/**
 * The PostgreSQL the service talks to: `DATABASE_URL` when set, otherwise an embedded server
 * started here.
 */
@Injectable()
export class DatabaseServer {
  private readonly logger = new Logger(DatabaseServer.name);
  private embedded?: EmbeddedPostgresServer;
  private url?: string;

  constructor(private readonly config: ConfigService<AppConfig, true>) {}

  async connectionUrl(): Promise<string> {
    if (this.url) return this.url;
    const { url, dataDir } = this.config.get('database', { infer: true });
    if (url) return (this.url = url);
    this.logger.log(`DATABASE_URL is unset: starting an embedded PostgreSQL with data under ${dataDir}`);
    this.embedded = new EmbeddedPostgresServer(dataDir, {
      debug: (message) => this.logger.debug(message),
      warn: (message) => this.logger.warn(message),
    });
    this.url = await this.embedded.start();
    return this.url;
  }

  /** Stops the embedded server, if one was started; `DatabaseModule` calls it after the pool closed. */
  async stop(): Promise<void> {
    if (!this.embedded) return;
    await this.embedded.stop();
    this.embedded = undefined;
    this.logger.log('Embedded PostgreSQL stopped');
  }
}
