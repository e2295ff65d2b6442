import { Injectable, Logger } from '@nestjs/common';
import pg from 'pg';
import type { EntityManager } from 'typeorm';
import { DatabaseServer } from './database-server.js';

export interface NotificationSubscriber {
  onNotification(payload: string): void;
  /** Called after the listening connection came back: notifications may have been missed meanwhile. */
  onResync(): Promise<void>;
}

const MAX_RECONNECT_DELAY_MS = 10_000;

/**
 * PostgreSQL LISTEN/NOTIFY over one dedicated connection, so that instances sharing a database
 * hear of each other's changes (revocations, key rotations) without further infrastructure.
 * Notifications are sent inside the changing transaction and so arrive only if it commits.
 */
@Injectable()
export class DatabaseNotifications {
  private readonly logger = new Logger(DatabaseNotifications.name);
  private readonly subscribers = new Map<string, NotificationSubscriber[]>();
  private client?: pg.Client;
  private connecting?: Promise<void>;
  private closed = false;
  private reconnectDelayMs = 250;
  private reconnectTimer?: NodeJS.Timeout;

  constructor(private readonly server: DatabaseServer) {}

  /** Starts listening on a channel; resolves once LISTEN is in place. */
  async subscribe(channel: string, subscriber: NotificationSubscriber): Promise<void> {
    const list = this.subscribers.get(channel) ?? [];
    list.push(subscriber);
    this.subscribers.set(channel, list);
    await this.ensureConnected();
    if (list.length === 1) await this.client?.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
  }

  /** Queues a notification in the caller's transaction. */
  async notify(manager: EntityManager, channel: string, payload: string): Promise<void> {
    await manager.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private ensureConnected(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: await this.server.connectionUrl(), application_name: 'portcullis-listener' });
    client.on('notification', (message) => {
      for (const subscriber of this.subscribers.get(message.channel) ?? []) subscriber.onNotification(message.payload ?? '');
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    await client.connect();
    for (const channel of this.subscribers.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    this.client = client;
    this.reconnectDelayMs = 250;
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    this.logger.warn(`Lost the notification connection${error ? ` (${error.message})` : ''}; reconnecting`);
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    this.reconnectTimer = setTimeout(() => {
      this.ensureConnected()
        .then(() => this.resyncAll())
        .catch((error: unknown) => {
          this.logger.warn(`Notification connection still down: ${error instanceof Error ? error.message : String(error)}`);
          this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, MAX_RECONNECT_DELAY_MS);
          this.scheduleReconnect();
        });
    }, this.reconnectDelayMs);
    this.reconnectTimer.unref();
  }

  private async resyncAll(): Promise<void> {
    for (const subscriber of [...this.subscribers.values()].flat()) await subscriber.onResync();
  }
}
