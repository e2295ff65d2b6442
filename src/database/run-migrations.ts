import type { DataSource } from 'typeorm';
import { ADVISORY_LOCK } from './advisory-locks.js';

/** Runs pending migrations while holding an advisory lock, so concurrent instances never race. */
export async function runMigrationsExclusively(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK.migrations]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK.migrations]).catch(() => undefined);
    await runner.release();
  }
}
