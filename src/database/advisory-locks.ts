import type { EntityManager } from 'typeorm';

/** PostgreSQL advisory lock keys, so that several instances starting at once do start-up work once. */
export const ADVISORY_LOCK = {
  migrations: 7_100_001,
  signingKeys: 7_100_002,
  bootstrapAdmin: 7_100_003,
  cleanup: 7_100_004,
  tenantUserAdministration: 7_100_005,
  superadmins: 7_100_006,
} as const;

/** Holds the lock until the surrounding transaction ends; `scope` narrows it (e.g. to one tenant). */
export async function lockForTransaction(manager: EntityManager, key: number, scope?: string): Promise<void> {
  if (scope === undefined) await manager.query('SELECT pg_advisory_xact_lock($1)', [key]);
  else await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [key, scope]);
}
