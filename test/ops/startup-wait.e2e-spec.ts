import { randomUUID } from 'node:crypto';
import { freePort } from '../support/free-port.mjs';
import { type HoldingProxy, startHoldingProxy } from '../support/holding-proxy.js';
import { within } from '../support/polling.js';
import { buildService, type ServiceProcess, spawnService, untilReady } from '../support/service-process.js';
import { createTestDatabase } from '../support/test-database.js';

/** How long the slow database answers nothing, from the service's first connection: the case. */
const SILENT_FOR_MS = 20_000;
/** How many of the service's attempts are refused before the database listens. */
const REFUSED_ATTEMPTS = 2;

interface LogLine {
  time: number;
  level: number;
  context?: string;
  msg: string;
}

function logLines(service: ServiceProcess): LogLine[] {
  return service
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

function line(lines: LogLine[], pattern: RegExp): LogLine {
  const found = lines.find((each) => pattern.test(each.msg));
  if (!found) throw new Error(`No log line matches ${pattern}:\n${lines.map((each) => each.msg).join('\n')}`);
  return found;
}

/** The failed attempts of one start-up step, in the order logged: attempt numbers, reasons, times. */
function failedAttempts(lines: LogLine[], step: string): Array<{ attempt: number; reason: string; time: number }> {
  return lines.flatMap((each) => {
    const match = new RegExp(`^${step}: attempt (\\d+) on \\S+ failed \\((.+)\\); next attempt in`).exec(each.msg);
    return match && each.context === 'DatabaseStartup' ? [{ attempt: Number(match[1]), reason: match[2], time: each.time }] : [];
  });
}

describe('Start-up against a database that is not there yet', () => {
  const admin = { email: 'root@portcullis.test', password: `pw-${randomUUID()}` };
  let build: Awaited<ReturnType<typeof buildService>>;
  const services: ServiceProcess[] = [];
  const proxies: HoldingProxy[] = [];
  let silent: { service: ServiceProcess; releasedAt: number };
  let refusing: { service: ServiceProcess; listenedAt: number };
  let eachConnectionHeld: ServiceProcess;

  async function spawn(databaseUrl: string): Promise<ServiceProcess> {
    const service = spawnService(build.main, {
      PORT: String(await freePort()),
      DATABASE_URL: databaseUrl,
      BOOTSTRAP_ADMIN_EMAIL: admin.email,
      BOOTSTRAP_ADMIN_PASSWORD: admin.password,
      BCRYPT_COST: '4',
    });
    services.push(service);
    return service;
  }

  async function start(databaseUrl: string): Promise<ServiceProcess> {
    const service = await spawn(databaseUrl);
    await untilReady(service);
    return service;
  }

  /** Accepts TCP at once, and answers nothing until `SILENT_FOR_MS` after the first connection; then forwards. */
  async function startBehindSilentDatabase() {
    const proxy = await startHoldingProxy(await createTestDatabase(), { holdFor: SILENT_FOR_MS });
    proxies.push(proxy);
    const service = await start(proxy.url);
    return { service, releasedAt: proxy.releasedAt()! };
  }

  /** Nothing listens on the database's port until the service has been refused `REFUSED_ATTEMPTS` times; then the proxy does. */
  async function startBehindRefusingDatabase() {
    const databaseUrl = await createTestDatabase();
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(await freePort());
    const service = await spawn(url.toString());
    await within(30_000, () => Promise.resolve(failedAttempts(logLines(service), 'Running the migrations').length >= REFUSED_ATTEMPTS));
    const listenedAt = Date.now();
    proxies.push(await startHoldingProxy(databaseUrl, { port: Number(url.port) }));
    await untilReady(service);
    return { service, listenedAt };
  }

  /**
   * The first connections of each kind (the migrations', the serving pool's, the LISTEN one) are
   * held well past their connect timeout (5 s, 2 s, 5 s), so that each start-up step meets a
   * timeout once; its second attempt (1 s after the first failed) is held well within it.
   */
  async function startWithEachConnectionHeldOnce() {
    const proxy = await startHoldingProxy(await createTestDatabase(), {
      holdFirstOf: { 'portcullis-migrations': 8_000, portcullis: 3_500, 'portcullis-listener': 8_000 },
    });
    proxies.push(proxy);
    return start(proxy.url);
  }

  beforeAll(async () => {
    build = await buildService();
    [silent, refusing, eachConnectionHeld] = await Promise.all([startBehindSilentDatabase(), startBehindRefusingDatabase(), startWithEachConnectionHeldOnce()]);
  }, 120_000);

  afterAll(async () => {
    for (const service of services) {
      if (service.child.exitCode === null && service.child.signalCode === null) {
        service.child.kill('SIGTERM');
        await service.exited;
      }
    }
    for (const proxy of proxies) await proxy.close();
    await build?.remove();
  }, 60_000);

  async function signIn(service: ServiceProcess): Promise<void> {
    const response = await fetch(`${service.baseUrl}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(admin) });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { access_token?: string }).access_token).toEqual(expect.any(String));
  }

  it(`waits for a database that accepts connections but answers nothing for ${SILENT_FOR_MS / 1000} s, logging each timed-out attempt once`, async () => {
    const { service, releasedAt } = silent;
    expect((await fetch(`${service.baseUrl}/health`)).status).toBe(200);
    await signIn(service);

    const lines = logLines(service);
    const failed = failedAttempts(lines, 'Running the migrations');
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(failed.map((each) => each.attempt)).toEqual(failed.map((_, index) => index + 1));
    for (const each of failed) expect(each.reason).toMatch(/timeout/i);
    // Each line carries the time it was written: in order, the first while the database was silent.
    for (let i = 1; i < failed.length; i++) expect(failed[i].time).toBeGreaterThan(failed[i - 1].time);
    expect(failed[0].time).toBeLessThan(releasedAt);
    const succeeded = line(lines, /^Running the migrations: succeeded at attempt (\d+)/);
    expect(succeeded.msg).toContain(`attempt ${failed.length + 1},`);
    expect(succeeded.time).toBeGreaterThanOrEqual(releasedAt);
    // Nest's own lines are not stamped with the time a buffer was flushed.
    expect(line(lines, /^Starting Nest application/).time).toBeLessThan(failed[0].time);
    expect(line(lines, /^Nest application successfully started/).time).toBeGreaterThanOrEqual(releasedAt);
  });

  it('waits for a database that refuses connections at first', async () => {
    const { service, listenedAt } = refusing;
    expect((await fetch(`${service.baseUrl}/health`)).status).toBe(200);
    await signIn(service);

    const lines = logLines(service);
    const failed = failedAttempts(lines, 'Running the migrations');
    expect(failed.length).toBeGreaterThanOrEqual(REFUSED_ATTEMPTS);
    expect(failed.map((each) => each.attempt)).toEqual(failed.map((_, index) => index + 1));
    for (const each of failed) expect(each.reason).toContain('ECONNREFUSED');
    for (let i = 1; i < failed.length; i++) expect(failed[i].time).toBeGreaterThan(failed[i - 1].time);
    expect(failed.at(-1)!.time).toBeLessThan(listenedAt);
    expect(line(lines, /^Running the migrations: succeeded at attempt/).time).toBeGreaterThanOrEqual(listenedAt);
  });

  it.each(['Running the migrations', 'Opening the connection pool', 'Opening the LISTEN connection'])('retries a connection timeout of each start-up step: %s', async (step) => {
    expect((await fetch(`${eachConnectionHeld.baseUrl}/health`)).status).toBe(200);
    await signIn(eachConnectionHeld);

    const lines = logLines(eachConnectionHeld);
    const failed = failedAttempts(lines, step);
    expect(failed).toEqual([expect.objectContaining({ attempt: 1, reason: expect.stringMatching(/timeout/i) as unknown })]);
    expect(line(lines, new RegExp(`^${step}: succeeded at attempt 2,`)).time).toBeGreaterThan(failed[0].time);
  });
});
