import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ADVISORY_LOCK } from '../../database/advisory-locks.js';
import { type ExpiredRowsPurger, type PurgeReport, PurgesExpiredRows } from '../../database/expired-rows.js';

const HOUSEKEEPING_INTERVAL_MS = 10 * 60_000;

/**
 * Keeps the tables from growing without bound: every ten minutes it asks each module's
 * `ExpiredRowsPurger` to remove its own expired rows, all in one transaction, on one instance
 * at a time (an advisory lock; the others skip that round).
 */
@Injectable()
export class Housekeeping implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Housekeeping.name);
  private purgers: ExpiredRowsPurger[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly discovery: DiscoveryService,
  ) {}

  onModuleInit(): void {
    this.purgers = this.discovery.getProviders({ metadataKey: PurgesExpiredRows.KEY }).map((wrapper) => wrapper.instance as ExpiredRowsPurger);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.purgeExpired().catch((error: unknown) => this.logger.warn(`Housekeeping failed: ${String(error)}`));
    }, HOUSEKEEPING_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Runs one round; answers what each purger removed, or undefined when another instance is at it. */
  async purgeExpired(): Promise<PurgeReport | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query<[{ locked: boolean }]>('SELECT pg_try_advisory_xact_lock($1) AS locked', [ADVISORY_LOCK.cleanup]);
      if (!locked) return undefined;
      const report: PurgeReport = {};
      for (const purger of this.purgers) Object.assign(report, await purger.purgeExpired(manager));
      if (Object.values(report).some((removed) => removed > 0)) this.logger.log(`Housekeeping removed ${JSON.stringify(report)}`);
      return report;
    });
  }
}
