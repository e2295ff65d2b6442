import { rm } from 'node:fs/promises';
import { ensureDatabase } from '../../src/database/embedded-postgres-server.js';
import { startThrowawayPostgres } from './throwaway-postgres.mjs';

const PASSWORD = 'portcullis-own-server';

export interface OwnPostgres {
  /** A URL of a database on this server, created if missing. */
  databaseUrl(name: string): Promise<string>;
  /** Stops the server process (a fast shutdown: every session is cut); the data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL server of the suite's own, apart from the run's shared one, for tests that stop
 * and start the database under a running service.
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const { server, root, port, adminUrl } = await startThrowawayPostgres({ password: PASSWORD, persistent: true });
  return {
    databaseUrl: async (name) => {
      await ensureDatabase(adminUrl, name);
      return `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${name}`;
    },
    stop: () => server.stop(),
    start: () => server.start(),
    destroy: async () => {
      await server.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
