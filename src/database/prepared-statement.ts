import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/** node-postgres's pool under TypeORM's PostgreSQL driver; undefined before the DataSource is initialized. */
export function poolOf(dataSource: DataSource): Pool | undefined {
  return dataSource.isInitialized ? (dataSource.driver as unknown as { master?: Pool }).master : undefined;
}

/**
 * A statement of a hot path, run as a named prepared statement on TypeORM's own pool: PostgreSQL
 * parses and plans it once per connection instead of on every call (the refresh statement's
 * planning cost about a third of its time). Same pool, timeouts and error shapes as TypeORM's
 * `query`; for single statements outside a transaction only.
 */
export class PreparedStatement<Row> {
  constructor(
    private readonly name: string,
    private readonly text: string,
  ) {}

  async run(dataSource: DataSource, values: unknown[]): Promise<Row[]> {
    const pool = poolOf(dataSource);
    if (pool === undefined) throw new Error('The database connection is not initialized');
    const { rows } = await pool.query<Row & object>({ name: this.name, text: this.text, values });
    return rows;
  }
}
