import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { access, chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CONNECTION_FILE } from '../../src/database/embedded-postgres-server.js';
import { freePort } from '../support/free-port.mjs';
import { buildService, type ServiceProcess, serversOn, startService, stopServersOn } from '../support/service-process.js';

interface Run {
  code: number | null;
  out: string;
  err: string;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * The built `portcullis` executable and the built service, as an operator runs them: two
 * processes on one DATA_DIR and its embedded PostgreSQL, the CLI started while the service runs.
 */
describe('The operator CLI beside a running service on the embedded database', () => {
  let build: Awaited<ReturnType<typeof buildService>>;
  let dataDir: string;
  let workDir: string;
  let service: ServiceProcess;

  /** `portcullis <argv>` as a process of its own, in a folder of its own, with `stdin` piped in. */
  function portcullis(argv: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> {
    const child = spawn(process.execPath, [join(dirname(build.main), 'cli.js'), ...argv], {
      cwd: workDir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, BCRYPT_COST: '4', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdin.end(options.stdin ?? '');
    return new Promise((settle) => child.once('close', (code) => settle({ code, out, err })));
  }

  const api = (path: string, body?: unknown) =>
    fetch(`${service.baseUrl}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    build = await buildService();
    dataDir = await mkdtemp(join(tmpdir(), 'portcullis-data-'));
    await chmod(dataDir, 0o711);
    workDir = await mkdtemp(join(tmpdir(), 'portcullis-cli-'));
    service = await startService(build.main, {
      PORT: String(await freePort()),
      DATA_DIR: dataDir,
      JWT_ISSUER: 'https://portcullis.test',
      BOOTSTRAP_ADMIN_EMAIL: 'root@portcullis.test',
      BOOTSTRAP_ADMIN_PASSWORD: `pw-${randomUUID()}`,
      BCRYPT_COST: '4',
      LOGIN_MAX_FAILURES: '2',
      AUTH_RATE_LIMIT: '100000',
    });
  }, 90_000);

  afterAll(async () => {
    if (service.child.exitCode === null && service.child.signalCode === null) {
      service.child.kill('SIGKILL');
      await service.exited;
    }
    await stopServersOn(join(dataDir, 'pg'));
    await rm(dataDir, { recursive: true, force: true });
    await rm(workDir, { recursive: true, force: true });
    await build?.remove();
  }, 60_000);

  it('keeps the connection details in DATA_DIR, readable by its owner only', async () => {
    const file = join(dataDir, CONNECTION_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const details = JSON.parse(await readFile(file, 'utf8')) as { pid: number; startedBy: string; connection: { url: string; host: string; port: number; user: string; database: string } };
    expect(details).toEqual({
      pid: service.child.pid,
      startedBy: 'service',
      connection: { url: expect.stringMatching(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/portcullis$/), host: '127.0.0.1', port: expect.any(Number), user: 'postgres', database: 'portcullis' },
    });
  });

  it('unlocks an account the running service locked, and the service lets it sign in again', async () => {
    const credentials = { email: `locked-${randomUUID().slice(0, 8)}@example.com`, password: `pw-${randomUUID()}` };
    expect((await api('/auth/register', credentials)).status).toBe(201);
    for (let attempt = 0; attempt < 2; attempt++) expect((await api('/auth/login', { ...credentials, password: 'a-wrong-password' })).status).toBe(401);
    expect((await api('/auth/login', credentials)).status).toBe(429);

    const run = await portcullis(['unlock', 'default', credentials.email]);
    expect(run).toEqual({ code: 0, out: `Unlocked ${credentials.email} in tenant default\n`, err: '' });
    expect((await api('/auth/login', credentials)).status).toBe(200);
    // It used the service's server, and left it and its connection file in place.
    expect(await serversOn(join(dataDir, 'pg'))).toHaveLength(1);
    expect(await exists(join(dataDir, CONNECTION_FILE))).toBe(true);
  }, 60_000);

  it('creates a tenant with --json: one JSON object on stdout; its admin signs in through the running service', async () => {
    const slug = `cli-${randomUUID().slice(0, 8)}`;
    const admin = { email: `admin@${slug}.example`, password: `pw-${randomUUID()}` };
    const run = await portcullis(['create-tenant', slug, 'Beside Corp', '--admin-email', admin.email, '--admin-password-stdin', '--json'], { stdin: `${admin.password}\n` });
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out.endsWith('\n') && !run.out.slice(0, -1).includes('\n')).toBe(true);
    const created = JSON.parse(run.out) as { tenant: { id: string; slug: string } };
    expect(created).toEqual({ tenant: { id: expect.any(String), slug, name: 'Beside Corp' }, admin: { email: admin.email } });

    const signIn = await api('/auth/login', { ...admin, tenant: slug });
    expect(signIn.status).toBe(200);
    const token = ((await signIn.json()) as { access_token: string }).access_token;
    const me = await fetch(`${service.baseUrl}/users/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ tenantId: created.tenant.id, email: admin.email, roles: ['admin'] });
  }, 60_000);

  it('writes the OpenAPI document with --json into its working folder', async () => {
    const run = await portcullis(['openapi', '--json']);
    expect(run).toEqual({ code: 0, out: '{"wrote":"openapi.json"}\n', err: '' });
    expect(JSON.parse(await readFile(join(workDir, 'openapi.json'), 'utf8'))).toMatchObject({ openapi: expect.stringMatching(/^3\./) });
  }, 60_000);

  it('reports an error by its cause, then the fix, without a stack trace; with --json as one JSON object on stderr', async () => {
    const { connection } = JSON.parse(await readFile(join(dataDir, CONNECTION_FILE), 'utf8')) as { connection: { port: number } };
    const env = { DATABASE_URL: `postgres://postgres:not-the-password@127.0.0.1:${connection.port}/portcullis` };

    const run = await portcullis(['unlock', 'default', 'anyone@example.com'], { env });
    expect(run.code).toBe(3);
    expect(run.out).toBe('');
    expect(run.err.split('\n')).toEqual([
      'The database refused the connection: password authentication failed for user "postgres"',
      'Check the user, password and database name in DATABASE_URL, then run the command again.',
      '',
    ]);

    const json = await portcullis(['unlock', 'default', 'anyone@example.com', '--json'], { env });
    expect(json.code).toBe(3);
    expect(json.out).toBe('');
    expect(JSON.parse(json.err)).toEqual({
      error: 'database_refused',
      message: 'The database refused the connection: password authentication failed for user "postgres"',
      fix: 'Check the user, password and database name in DATABASE_URL, then run the command again.',
      exitCode: 3,
    });
  }, 60_000);

  it('with no instance running (the last one killed, its connection file stale), starts the database itself and leaves nothing running', async () => {
    const clusterDir = join(dataDir, 'pg');
    service.child.kill('SIGKILL');
    await service.exited;
    // The killed service's file and PostgreSQL outlive it.
    expect(await exists(join(dataDir, CONNECTION_FILE))).toBe(true);
    expect(await serversOn(clusterDir)).toHaveLength(1);

    const run = await portcullis(['rotate-key', '--json']);
    expect(run).toMatchObject({ code: 0, out: expect.stringMatching(/^\{"current":"[^"]+"\}\n$/) });
    expect(await serversOn(clusterDir)).toEqual([]);
    expect(await exists(join(dataDir, CONNECTION_FILE))).toBe(false);

    // A file naming a live process whose server is gone (a machine restarted, its pid reused) is stale too.
    await writeFile(
      join(dataDir, CONNECTION_FILE),
      JSON.stringify({ pid: process.pid, startedBy: 'service', connection: { url: 'postgres://postgres:x@127.0.0.1:1/portcullis', host: '127.0.0.1', port: 1, user: 'postgres', database: 'portcullis' } }),
      { mode: 0o600 },
    );
    expect(await portcullis(['migrate'])).toMatchObject({ code: 0, out: expect.stringMatching(/^Migrations are up to date/) });
    expect(await serversOn(clusterDir)).toEqual([]);
    expect(await exists(join(dataDir, CONNECTION_FILE))).toBe(false);
  }, 90_000);
});
