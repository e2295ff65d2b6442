import { DiscoveryService } from '@nestjs/core';
import type { EntityManager } from 'typeorm';

/** How many rows of each kind a purge removed, by name (`sessions`, `auditEvents`, …). */
export type PurgeReport = Record<string, number>;

/**
 * A module's purge of its own rows that have outlived their use (expired sessions, spent
 * rate-limit windows, audit events past retention). The housekeeping job runs every one it
 * finds, in one transaction, on one instance at a time.
 */
export interface ExpiredRowsPurger {
  purgeExpired(manager: EntityManager): Promise<PurgeReport>;
}

/** Marks a provider as an `ExpiredRowsPurger`, so that the housekeeping job finds it without importing its module. */
export const PurgesExpiredRows = DiscoveryService.createDecorator();

/** The number of rows an UPDATE or DELETE affected (the postgres driver answers `[rows, affected]`). */
export async function affectedRows(manager: EntityManager, sql: string, parameters: unknown[] = []): Promise<number> {
  const [, affected] = await manager.query<[unknown, number]>(sql, parameters);
  return affected;
}
