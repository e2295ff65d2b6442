import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { sqlStateOf } from './postgres-errors.js';

/** node-postgres's pool under TypeORM's PostgreSQL driver; undefined before the DataSource is initialized. */
export function poolOf(dataSource: DataSource): Pool | undefined {
  return dataSource.isInitialized ? (dataSource.driver as unknown as { master?: Pool }).master : undefined;
}

/**
 * The server no longer has the statement as prepared: its plan would change its result's type
 * (0A000, a migration altered a column under a running instance) or it is gone (26000, a
 * pooler in transaction mode, or `DISCARD ALL`).
 */
const STALE_PREPARED_STATEMENT = new Set(['0A000', '26000']);

/**
 * A statement of a hot path, run as a named prepared statement on TypeORM's own pool: PostgreSQL
 * parses and plans it once per connection instead of on every call (planning was about a third
 * of the refresh statement's time). The same pool, timeouts and errors as TypeORM's `query` (raw
 * node-postgres errors, which `isDatabaseUnavailable` and `sqlStateOf` read alike). For single
 * statements outside a transaction only.
 */
export class PreparedStatement<Row> {
  constructor(
    private readonly name: string,
    private readonly text: string,
  ) {}

  async run(dataSource: DataSource, values: unknown[]): Promise<Row[]> {
    const pool = poolOf(dataSource);
    if (pool === undefined) throw new Error('The database connection is not initialized');
    try {
      return await this.runOn(await pool.connect(), { name: this.name, text: this.text, values });
    } catch (error) {
      const state = sqlStateOf(error);
      if (state === undefined || !STALE_PREPARED_STATEMENT.has(state)) throw error;
      // Once, unprepared, on another connection (the stale one was dropped with its statement).
      return this.runOn(await pool.connect(), { text: this.text, values });
    }
  }

  /**
   * Returns the connection to the pool afterwards. An error the server answered (a SQLSTATE: a
   * timeout, a constraint) leaves it usable, so it is kept, as TypeORM keeps its own; a socket or
   * driver error, or a stale statement, drops it.
   */
  private async runOn(client: PoolClient, query: { name?: string; text: string; values: unknown[] }): Promise<Row[]> {
    try {
      const { rows } = await client.query<Row & object>(query);
      client.release();
      return rows;
    } catch (error) {
      const state = sqlStateOf(error);
      client.release(state === undefined || STALE_PREPARED_STATEMENT.has(state) ? (error as Error) : undefined);
      throw error;
    }
  }
}
