import { randomUUID } from 'node:crypto';
import { access, chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../support/free-port.mjs';
import { buildService, type ServiceProcess, serversOn, startService, stopServersOn } from '../support/service-process.js';
import { connectionRefused } from '../support/polling.js';

/** How long the test waits for the service to stop listening after SIGTERM before calling it a failure. */
const LISTENER_CLOSED_WITHIN_MS = 10_000;
const LOGOUTS = 60;

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * One HTTP/1.1 request on a raw socket whose body is held back: `sendBody` sends it, `response`
 * settles with the status once the answer is complete. With `Expect: 100-continue`, the server
 * answers "100 Continue" once it has the headers, so the request is known to be in flight.
 */
async function heldBackRequest(port: number, path: string, body: string) {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  const continued = new Promise<void>((settle, fail) => {
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      if (received.startsWith('HTTP/1.1 100')) settle();
    });
    socket.once('error', fail);
  });
  const response = new Promise<{ status: number; raw: string }>((settle) => {
    socket.once('close', () => {
      const final = received.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '');
      settle({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(final)?.[1] ?? 0), raw: final });
    });
  });
  socket.write(
    [`POST ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`, 'Expect: 100-continue', 'Connection: close', '', ''].join('\r\n'),
  );
  await continued;
  return { sendBody: () => socket.write(body), response };
}

describe('The service as a process: SIGTERM and SIGKILL', () => {
  let build: Awaited<ReturnType<typeof buildService>>;
  const dataDirs: string[] = [];
  const services: ServiceProcess[] = [];

  async function newDataDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'portcullis-data-'));
    await chmod(dir, 0o711);
    dataDirs.push(dir);
    return dir;
  }

  async function start(dataDir: string, port: number, environment: Record<string, string> = {}): Promise<ServiceProcess> {
    const service = await startService(build.main, {
      PORT: String(port),
      DATA_DIR: dataDir,
      JWT_ISSUER: 'https://portcullis.test',
      BOOTSTRAP_ADMIN_EMAIL: 'root@portcullis.test',
      BOOTSTRAP_ADMIN_PASSWORD: `pw-${randomUUID()}`,
      AUTH_RATE_LIMIT: '100000',
      ...environment,
    });
    services.push(service);
    return service;
  }

  async function register(service: ServiceProcess): Promise<{ email: string; password: string }> {
    const credentials = { email: `user-${randomUUID().slice(0, 8)}@example.com`, password: `pw-${randomUUID()}` };
    const response = await fetch(`${service.baseUrl}/auth/register`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(credentials) });
    expect(response.status).toBe(201);
    return credentials;
  }

  async function signIn(service: ServiceProcess, credentials: { email: string; password: string }): Promise<string> {
    const response = await fetch(`${service.baseUrl}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(credentials) });
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  beforeAll(async () => {
    build = await buildService();
  }, 60_000);
  afterAll(async () => {
    for (const service of services) {
      if (service.child.exitCode === null && service.child.signalCode === null) {
        service.child.kill('SIGKILL');
        await service.exited;
      }
    }
    for (const dir of dataDirs) {
      await stopServersOn(join(dir, 'pg'));
      await rm(dir, { recursive: true, force: true });
    }
    await build?.remove();
  }, 60_000);

  it('on SIGTERM stops accepting connections (on the management port too), finishes the request in flight, stops its embedded PostgreSQL and exits 0', async () => {
    const dataDir = await newDataDir();
    const port = await freePort();
    const managementPort = await freePort();
    // A sign-in at bcrypt cost 12 is a slow request (a quarter of a second or more).
    const service = await start(dataDir, port, { BCRYPT_COST: '12', MANAGEMENT_PORT: String(managementPort) });
    expect((await fetch(`http://127.0.0.1:${managementPort}/health`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${managementPort}/users/me`)).status).toBe(404);
    const credentials = await register(service);
    const clusterDir = join(dataDir, 'pg');
    expect(await serversOn(clusterDir)).toHaveLength(1);

    const login = await heldBackRequest(port, '/auth/login', JSON.stringify(credentials));
    service.child.kill('SIGTERM');
    const giveUpAt = Date.now() + LISTENER_CLOSED_WITHIN_MS;
    while (!(await connectionRefused(port))) {
      if (Date.now() > giveUpAt) throw new Error(`still accepting connections ${LISTENER_CLOSED_WITHIN_MS} ms after SIGTERM:\n${service.output().slice(-3000)}`);
      await sleep(50);
    }

    // The management port closed first, while the process still runs.
    expect(await connectionRefused(managementPort)).toBe(true);

    // No longer listening, yet the request that was in flight is answered in full.
    login.sendBody();
    const answer = await login.response;
    expect(answer.status).toBe(200);
    expect(answer.raw).toContain('"access_token"');

    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(await serversOn(clusterDir)).toEqual([]);
    expect(await exists(join(clusterDir, 'postmaster.pid'))).toBe(false);
    // The log's last lines, written as it went down, are not lost: the answered sign-in's, and the last of all.
    expect(service.output()).toMatch(/"method":"POST","url":"\/auth\/login","ip":"[^"]+","statusCode":200/);
    expect(service.output()).toContain('Embedded PostgreSQL stopped');
  }, 60_000);

  it('after SIGKILL under write load, every logout acknowledged with 204 is still in force when it starts again', async () => {
    const dataDir = await newDataDir();
    const port = await freePort();
    const first = await start(dataDir, port, { BCRYPT_COST: '4' });
    const credentials = await register(first);
    const tokens: string[] = [];
    for (let i = 0; i < LOGOUTS; i++) tokens.push(await signIn(first, credentials));
    const untouched = await signIn(first, credentials);

    // Every session logs out at once; the process is killed as soon as a quarter is acknowledged.
    const acknowledged: string[] = [];
    let killed = false;
    await Promise.allSettled(
      tokens.map(async (token) => {
        const response = await fetch(`${first.baseUrl}/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
        if (response.status !== 204) return;
        acknowledged.push(token);
        if (!killed && acknowledged.length >= LOGOUTS / 4) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }),
    );
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(acknowledged.length).toBeGreaterThanOrEqual(LOGOUTS / 4);
    // Killed mid-way: some logouts were never answered.
    expect(acknowledged.length).toBeLessThan(LOGOUTS);

    // Its PostgreSQL outlived it; the next start stops that one and starts its own on the same data.
    const second = await start(dataDir, port, { BCRYPT_COST: '4' });
    const me = (token: string) => fetch(`${second.baseUrl}/users/me`, { headers: { Authorization: `Bearer ${token}` } });
    const refusals = await Promise.all(
      acknowledged.map(async (token) => {
        const response = await me(token);
        return { status: response.status, code: ((await response.json()) as { code?: string }).code };
      }),
    );
    expect(refusals.filter((refusal) => refusal.status !== 401 || refusal.code !== 'token_revoked')).toEqual([]);
    expect((await me(untouched)).status).toBe(200);
  }, 60_000);
});
