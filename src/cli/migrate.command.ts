import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CommandResult } from './command-result.js';

/**
 * Reports the schema's migrations. The database module has already brought it up to date
 * (under its advisory lock) as the application context started.
 */
export async function migrate(context: INestApplicationContext): Promise<CommandResult> {
  const rows: Array<{ name: string; applied: number }> = await context
    .get(DataSource)
    .query('SELECT name, count(*) OVER ()::int AS applied FROM migrations ORDER BY "timestamp" DESC LIMIT 1');
  const latest = rows[0]?.name ?? null;
  const applied = rows[0]?.applied ?? 0;
  return {
    text: latest === null ? 'Migrations are up to date (none applied)' : `Migrations are up to date: ${applied} applied, the latest ${latest}`,
    json: { upToDate: true, applied, latest },
  };
}
