import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import pg from 'pg';
import type { EntityManager } from 'typeorm';
import { DatabaseServer } from './database-server.js';
import { DatabaseStartup } from './database-startup.js';

export interface NotificationSubscriber {
  onNotification(payload: string): void;
  /** Called after the listening connection came back: notifications may have been missed meanwhile. */
  onResync(): Promise<void>;
}

/** Whether what arrives over LISTEN can be trusted to be complete, and if not, why. */
export interface NotificationsState {
  current: boolean;
  /** Milliseconds since the newest of this instance's heartbeats that came back was sent. */
  lastHeartbeatMsAgo: number;
  problem?: string;
}

const MAX_RECONNECT_DELAY_MS = 10_000;
/** Connecting, and each query on the listening connection, gives up after this long. */
const CONNECTION_TIMEOUT_MS = 5_000;
/** A heartbeat goes out through the channel every quarter second... */
export const HEARTBEAT_INTERVAL_MS = 250;
/**
 * ...and what arrived over LISTEN is trusted (`state().current`) only while a heartbeat sent less
 * than this long ago has come back: the longest a notification lost on a silently dropped
 * connection can go unnoticed. A heartbeat that has not come back within it marks the connection
 * dead. It leaves 1.25 s beyond the interval for the round trip, which on the dedicated
 * connection is a millisecond or two, plus event-loop lag.
 */
export const HEARTBEAT_DEADLINE_MS = 1_500;

/** Ends a connection that may be black-holed: `end()` would wait for an answer that never comes. */
function destroy(client: pg.Client): void {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  client.end().catch(() => undefined);
}

/**
 * PostgreSQL LISTEN/NOTIFY over one dedicated connection, so that instances sharing a database
 * hear of each other's changes (revocations, key rotations) without further infrastructure.
 * Notifications are sent inside the changing transaction and so arrive only if it commits.
 *
 * A connection can die silently (a NAT or load balancer dropping an idle flow sends neither FIN
 * nor RST), and TCP would notice only after many minutes: so a heartbeat makes the round trip
 * through the channel itself every `HEARTBEAT_INTERVAL_MS`. PostgreSQL delivers notifications in
 * commit order, so a heartbeat that comes back vouches for every notification committed before
 * it was sent: the state is `current` while the newest heartbeat back was sent less than
 * `HEARTBEAT_DEADLINE_MS` ago, checked on every call (no timer needs to fire on time for a
 * missed notification to stop being trusted). A connection whose heartbeat has not come back
 * within the deadline is destroyed, replaced and every subscriber resynchronized; until that is
 * done the state is not `current`, and whoever relies on it must not trust it.
 */
@Injectable()
export class DatabaseNotifications {
  private readonly logger = new Logger(DatabaseNotifications.name);
  private readonly subscribers = new Map<string, NotificationSubscriber[]>();
  /** This instance's own heartbeat channel, so that no instance hears another's. */
  private readonly heartbeatChannel = `portcullis_heartbeat_${randomBytes(8).toString('hex')}`;
  private client?: pg.Client;
  private connecting?: Promise<void>;
  private closed = false;
  private reconnectDelayMs = 250;
  private reconnectTimer?: NodeJS.Timeout;
  private heartbeatTimer?: NodeJS.Timeout;
  private heartbeatsSent = 0;
  /** The heartbeat on its way, if any (one at a time), and when it was sent (`performance.now()`). */
  private heartbeat?: { payload: string; sentAt: number };
  /** Every notification committed before this moment has arrived (`performance.now()`). */
  private vouchedUntil = 0;
  private resynchronizing = false;
  private problem?: string = 'not connected yet';
  /** Until the first connection is up, connecting waits for the database as start-up does; after, `scheduleReconnect` retries. */
  private everConnected = false;

  constructor(
    private readonly server: DatabaseServer,
    private readonly startup: DatabaseStartup,
  ) {}

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

  state(): NotificationsState {
    const lastHeartbeatMsAgo = Math.round(performance.now() - this.vouchedUntil);
    const stale = lastHeartbeatMsAgo > HEARTBEAT_DEADLINE_MS;
    const current = this.client !== undefined && !this.resynchronizing && !stale;
    const problem = current ? undefined : (this.problem ?? (stale ? `no heartbeat came back for ${lastHeartbeatMsAgo} ms` : 'resynchronizing'));
    return { current, lastHeartbeatMsAgo, ...(problem ? { problem } : {}) };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeatTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private ensureConnected(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= (this.everConnected ? this.connect() : this.startup.retry('opening the LISTEN connection', () => this.connect())).finally(
      () => (this.connecting = undefined),
    );
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: await this.server.connectionUrl(),
      application_name: 'portcullis-listener',
      keepAlive: true,
      // A black-holed network swallows the connection attempt and queries too: give up on them.
      connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
      query_timeout: CONNECTION_TIMEOUT_MS,
    });
    client.on('notification', (message) => {
      if (message.channel === this.heartbeatChannel) {
        if (this.client === client) this.heartbeatCameBack(message.payload ?? '');
        return;
      }
      for (const subscriber of this.subscribers.get(message.channel) ?? []) subscriber.onNotification(message.payload ?? '');
    });
    client.on('error', (error) => this.lost(client, error.message));
    client.on('end', () => this.lost(client, 'the connection ended'));
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(this.heartbeatChannel)}`);
      for (const channel of this.subscribers.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      destroy(client);
      throw error;
    }
    this.client = client;
    this.everConnected = true;
    // Listening since before now: whatever commits from here on arrives.
    this.vouchedUntil = performance.now();
    this.heartbeat = undefined;
    this.problem = undefined;
    this.reconnectDelayMs = 250;
    this.startHeartbeat();
  }

  private startHeartbeat(): void {
    if (this.heartbeatTimer) return;
    this.heartbeatTimer = setInterval(() => this.beat(), HEARTBEAT_INTERVAL_MS);
    this.heartbeatTimer.unref();
  }

  private beat(): void {
    const client = this.client;
    if (!client || this.closed) return;
    // Judged after the poll phase (setImmediate): when the event loop has stalled, this timer
    // runs before the heartbeat that came back meanwhile is read, and must not take it for lost.
    setImmediate(() => {
      if (this.client !== client || this.closed) return;
      if (this.heartbeat) {
        const waitedMs = Math.round(performance.now() - this.heartbeat.sentAt);
        if (waitedMs > HEARTBEAT_DEADLINE_MS) this.lost(client, `a heartbeat did not come back within ${waitedMs} ms`);
        return;
      }
      const heartbeat = { payload: String(++this.heartbeatsSent), sentAt: performance.now() };
      this.heartbeat = heartbeat;
      client.query('SELECT pg_notify($1, $2)', [this.heartbeatChannel, heartbeat.payload]).catch(() => undefined);
    });
  }

  /** Notifications arrive in commit order: everything committed before this heartbeat was sent has arrived. */
  private heartbeatCameBack(payload: string): void {
    if (this.heartbeat?.payload !== payload) return;
    this.vouchedUntil = this.heartbeat.sentAt;
    this.heartbeat = undefined;
  }

  private lost(client: pg.Client, reason: string): void {
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    this.heartbeat = undefined;
    this.problem = `lost the notification connection (${reason}); reconnecting`;
    this.logger.warn(`Lost the notification connection (${reason}); reconnecting, and until then not trusting the revocation state`);
    destroy(client);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    this.reconnectTimer = setTimeout(() => {
      this.resynchronizing = true;
      this.ensureConnected()
        .then(() => this.resyncAll())
        .then(() => {
          this.resynchronizing = false;
          this.logger.log('Notification connection restored and state resynchronized');
        })
        .catch((error: unknown) => {
          this.resynchronizing = false;
          const message = error instanceof Error ? error.message : String(error);
          this.logger.warn(`Notification connection still down: ${message}`);
          if (this.client) {
            // Connected, but the resync failed: start over on a fresh connection.
            this.lost(this.client, `resync failed: ${message}`);
            return;
          }
          this.problem = `notification connection down (${message}); reconnecting`;
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
