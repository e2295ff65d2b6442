import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain.error.js';
import type { Principal } from '../access/principal.js';
import { DatabaseNotifications } from '../database/database-notifications.service.js';
import { DatabaseStartup } from '../database/database-startup.js';
import type { Transaction } from '../database/unit-of-work.js';
import { MetricsService } from '../ops/metrics/metrics.service.js';
import { type RevocationEntry, RevocationList, type RevocationVerdict } from './revocation-list.js';
import type { RevocationKind } from './revocation.entity.js';
import { RevocationStore } from './revocation-store.js';

export const REVOCATIONS_CHANNEL = 'portcullis_revocations';
/** pg_notify payloads must stay under 8000 bytes; larger batches tell listeners to reload instead. */
const MAX_NOTIFY_BYTES = 7000;
const SWEEP_INTERVAL_MS = 60_000;

type RevocationMessage = { apply: RevocationEntry[] } | { lift: { kind: RevocationKind; key: string } } | { resync: true };

/**
 * Keeps the revocation state: checked in memory on every request, persisted in `revocations`,
 * and spread to every instance through LISTEN/NOTIFY (reloaded whole after a lost connection).
 */
@Injectable()
export class RevocationService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RevocationService.name);
  private readonly list = new RevocationList();
  private pending?: string[];
  private reloadsInFlight = 0;
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: RevocationStore,
    private readonly notifications: DatabaseNotifications,
    private readonly startup: DatabaseStartup,
    // Optional: the unit tests build this service alone.
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  async onModuleInit(): Promise<void> {
    // Listen first, then load: whatever commits in between arrives as a notification,
    // held back until the loaded snapshot is in place.
    this.pending = [];
    await this.notifications.subscribe(REVOCATIONS_CHANNEL, {
      onNotification: (payload) => this.receive(payload),
      onResync: () => this.reload(),
    });
    await this.startup.retry('loading the revocations', () => this.reload());
    this.sweepTimer = setInterval(() => this.list.sweep(Math.floor(Date.now() / 1000)), SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweepTimer);
  }

  /**
   * Whether a verified token is revoked. While the state may have missed notifications (the
   * listening connection is down, or its state is being reloaded), no token is accepted on it:
   * 503 `service_unavailable`, for a few seconds at most, rather than a revoked token let through.
   */
  verdict(principal: Principal): RevocationVerdict {
    if (!this.notifications.state().current) {
      throw new DomainError('service_unavailable', 'Revocation state is being resynchronized; try again shortly', { retryAfterSeconds: 2 });
    }
    return this.list.verdict(principal);
  }

  /**
   * Records revocations in `transaction`: they take effect here as soon as it commits, and on
   * the other instances when the notification (sent with the commit) arrives.
   */
  async record(transaction: Transaction, entries: RevocationEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const { manager } = transaction;
    await this.store.save(manager, entries);
    const message = JSON.stringify({ apply: entries } satisfies RevocationMessage);
    await this.notifications.notify(
      manager,
      REVOCATIONS_CHANNEL,
      Buffer.byteLength(message) <= MAX_NOTIFY_BYTES ? message : JSON.stringify({ resync: true } satisfies RevocationMessage),
    );
    transaction.afterCommit(() => {
      for (const entry of entries) this.list.apply(entry);
      this.metrics?.revoked(entries.map((entry) => entry.kind));
    });
  }

  /** Removes an open-ended entry (a tenant enabled again). */
  async lift(kind: RevocationKind, key: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.store.remove(manager, kind, key);
      await this.notifications.notify(manager, REVOCATIONS_CHANNEL, JSON.stringify({ lift: { kind, key } } satisfies RevocationMessage));
    });
    this.list.lift(kind, key);
  }

  private receive(payload: string): void {
    if (this.pending) {
      this.pending.push(payload);
      return;
    }
    let message: RevocationMessage;
    try {
      message = JSON.parse(payload) as RevocationMessage;
    } catch {
      this.logger.warn('Ignored a malformed revocation notification');
      return;
    }
    if ('apply' in message) for (const entry of message.apply) this.list.apply(entry);
    else if ('lift' in message) this.list.lift(message.lift.kind, message.lift.key);
    else this.reload().catch((error: unknown) => this.logger.warn(`Could not reload revocations: ${String(error)}`));
  }

  /**
   * Replaces the in-memory state with the table. Notifications arriving meanwhile are held and
   * replayed, in order, when the last reload in flight has finished, so no snapshot can wipe
   * out an entry that was notified after it was read. Replaying is harmless: applying and
   * lifting are idempotent, and a subject's not-before never moves back.
   */
  private async reload(): Promise<void> {
    this.pending ??= [];
    this.reloadsInFlight++;
    try {
      this.list.replaceAll(await this.store.live());
    } finally {
      if (--this.reloadsInFlight === 0) {
        const held = this.pending;
        this.pending = undefined;
        for (const payload of held) this.receive(payload);
      }
    }
  }
}
