// `npm run bench` (after `npm run build`): the service under load, beside a bare baseline, in one run.
//
// The built service (dist/) runs in its own process on a throw-away embedded PostgreSQL (or
// BENCH_DATABASE_URL); a bare node:http + fast-jwt server (baseline-server.mjs) runs in another;
// raw bcrypt is measured in a third (bcrypt-rate.mjs). This process drives them with autocannon.
// Plain JavaScript against dist/, never src/. Environment: BENCH_CONNECTIONS (50), BENCH_DURATION (10 s),
// BENCH_WARMUP (2 s), BENCH_BCRYPT_COST (BCRYPT_COST, 12), BENCH_GUARD_ONLY_PATH (/auth/whoami),
// BENCH_LOGIN_CONNECTIONS, BENCH_LOGIN_USERS, BENCH_LOG_LEVEL (info), BENCH_DATABASE_URL, JWT_ALG
// (and JWT_SECRET, JWT_AUDIENCE), UV_THREADPOOL_SIZE; BENCH_SERVICE_LOG=file keeps the service's log;
// BENCH_ONLY=1,3 runs only those scenarios (x for the JWKS row) and writes nothing; BENCH_SERVICE_NODE_OPTIONS
// (e.g. --cpu-prof) goes to the service's node.
//
// Scenarios (each: a warm-up, then the measured run, then a drain so that no backlog spills over):
//   1  GET /users/me, a valid access token                  ratio: to the baseline under the same load; also
//      measured: NestJS + Fastify alone (framework-floor-server.mjs), the same answer behind one trivial guard;
//      and, where BENCH_PYTHON (/usr/bin/python3) has FastAPI, uvicorn, SQLAlchemy, psycopg2 and PyJWT
//      (Debian's python3-* packages), the FastAPI tutorials' way (fastapi-tutorial/app.py): one
//      uvicorn worker, a SQLAlchemy lookup per request, on a PostgreSQL of its own
//   2  GET BENCH_GUARD_ONLY_PATH (guard + revocation only)  ratio: to the baseline (skipped while the route is a 404)
//   3  POST /auth/refresh, every request rotates a live token from a pool; answers put the new one back
//   4  POST /auth/login at BCRYPT_COST                      ratio: share of raw bcrypt.compare/s (BENCH_LOGIN_CONNECTIONS at once)
//   5  scenario 1 while scenario 4 runs flat out            ratio: p99 to the baseline's p99 under the same login load
//   6  scenario 1 over BENCH_INSTANCES (2) service processes sharing one PostgreSQL (a throw-away
//      server, or BENCH_DATABASE_URL), the connections split between them; and how long a logout on
//      one instance takes to be refused by another (five times)
//   x  GET /.well-known/jwks.json (public, no guard, no database), for reference
// Also: start to healthy (fresh, and again on the existing data folder) and the idle RSS.
// Exits 1 when any scenario had errors (non-2xx, socket errors, timeouts); slow figures never fail it.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort } from '../support/free-port.mjs';
import { startThrowawayPostgres } from '../support/throwaway-postgres.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BENCH_DIR = join(ROOT, 'test/bench');

const settings = {
  connections: Number(process.env.BENCH_CONNECTIONS ?? 50),
  durationSeconds: Number(process.env.BENCH_DURATION ?? 10),
  warmupSeconds: Number(process.env.BENCH_WARMUP ?? 2),
  bcryptCost: Number(process.env.BENCH_BCRYPT_COST ?? process.env.BCRYPT_COST ?? 12),
  jwtAlgorithm: process.env.JWT_ALG?.trim() || 'ES256',
  guardOnlyPath: process.env.BENCH_GUARD_ONLY_PATH ?? '/auth/whoami',
  logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
  database: process.env.BENCH_DATABASE_URL ? 'BENCH_DATABASE_URL' : 'embedded PostgreSQL in a temporary DATA_DIR',
  uvThreadpoolSize: Number(process.env.UV_THREADPOOL_SIZE) || 4,
  // Accounts to sign in with, round robin: as many as connections, so that an account rarely has two sign-ins under way.
  loginUsers: Number(process.env.BENCH_LOGIN_USERS ?? process.env.BENCH_CONNECTIONS ?? 50),
  // Sign-ins under way at once (scenarios 4 and 5). Four per libuv thread keeps bcrypt busy without a
  // break, while the queue stays well under the service's 10 s idle-socket timeout, which cuts a
  // sign-in that waits longer than that for its turn (50 at once at cost 12 would wait about 5-10 s).
  loginConnections: Number(process.env.BENCH_LOGIN_CONNECTIONS ?? Math.min(Number(process.env.BENCH_CONNECTIONS ?? 50), 4 * (Number(process.env.UV_THREADPOOL_SIZE) || 4))),
  authRateLimit: 100000,
  loginMaxFailures: 1000,
  instances: Number(process.env.BENCH_INSTANCES ?? 2),
};
const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((id) => id.trim())) : undefined;
const runs = (id) => only === undefined || only.has(id);
const C = settings.connections;
const REFRESH_POOL = 2 * C + 16; // C in flight, C lost when the warm-up stops mid-request, and some slack

// ---------------------------------------------------------------- child processes

/** Every child started, so that each is stopped on the way out, whatever happens. */
const children = new Set();

function track(name, child, { expectExit = false } = {}) {
  const entry = { name, child, stopping: expectExit, exited: new Promise((done) => child.once('exit', (code, signal) => done({ code, signal }))) };
  children.add(entry);
  void entry.exited.then(({ code, signal }) => {
    children.delete(entry);
    if (!entry.stopping) process.stderr.write(`bench: ${name} (pid ${child.pid}) exited on its own, with ${signal ?? `code ${code}`}\n`);
  });
  return entry;
}

/** SIGTERM, then wait (the service stops its embedded PostgreSQL first); SIGKILL only after `graceMs`. */
async function stop(entry, graceMs = 60_000) {
  entry.stopping = true;
  if (entry.child.exitCode !== null || entry.child.signalCode !== null) return entry.exited;
  entry.child.kill('SIGTERM');
  const timer = setTimeout(() => {
    process.stderr.write(`bench: ${entry.name} did not stop in ${graceMs / 1000} s; killing it\n`);
    entry.child.kill('SIGKILL');
  }, graceMs);
  const result = await entry.exited;
  clearTimeout(timer);
  return result;
}

let stopping;
function stopAll() {
  stopping ??= Promise.all([...children].map((entry) => stop(entry)));
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    process.stderr.write(`bench: ${signal}, stopping the children\n`);
    void stopAll().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------- HTTP helpers

async function waitForHealth(base, entry, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (entry.child.exitCode !== null) throw new Error(`${entry.name} exited with ${entry.child.exitCode} before it was healthy`);
    try {
      const response = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  throw new Error(`${entry.name} was not healthy within ${timeoutMs / 1000} s`);
}

async function call(base, method, path, { body, token } = {}) {
  const headers = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, text: await response.text() };
}

async function callOk(base, method, path, options) {
  const answer = await call(base, method, path, options);
  if (answer.status < 200 || answer.status > 299) throw new Error(`${method} ${path} answered ${answer.status}: ${answer.text}`);
  return answer;
}

/**
 * Drains a backlog: `request` again until one gets an answer (any status). The service closes a
 * socket idle for 10 s, which a request waiting behind a long queue can be; the queue shrinks meanwhile.
 */
async function settle(request, timeoutMs = 120_000) {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await request();
    } catch (error) {
      if (Date.now() > giveUpAt) throw error;
      await sleep(100);
    }
  }
}

/** Runs `task` over `items`, `width` at a time. */
async function eachLimited(items, width, task) {
  const results = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index], index);
      }
    }),
  );
  return results;
}

// ---------------------------------------------------------------- the service, the baseline, raw bcrypt

function startService(port, dataDir, databaseUrl = process.env.BENCH_DATABASE_URL ?? '', extraEnv = {}) {
  const env = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    // Set, even empty, so that a .env file cannot slip a DATABASE_URL in (process.loadEnvFile never overrides).
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: settings.logLevel,
    BCRYPT_COST: String(settings.bcryptCost),
    AUTH_RATE_LIMIT: String(settings.authRateLimit),
    LOGIN_MAX_FAILURES: String(settings.loginMaxFailures),
    ...extraEnv,
  };
  // stdout carries the request log: to /dev/null (as a log shipper would take it away), or appended to BENCH_SERVICE_LOG.
  const stdout = process.env.BENCH_SERVICE_LOG ? openSync(process.env.BENCH_SERVICE_LOG, 'a') : 'ignore';
  const nodeOptions = process.env.BENCH_SERVICE_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeOptions, join(ROOT, 'dist/src/main.js')], { cwd: ROOT, env, stdio: ['ignore', stdout, 'inherit'] });
  if (typeof stdout === 'number') closeSync(stdout);
  return track('the service', child);
}

async function idleRssMegabytes(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kilobytes = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
  return kilobytes / 1024;
}

async function measureRawBcrypt() {
  const child = spawn(process.execPath, [join(BENCH_DIR, 'bcrypt-rate.mjs'), String(settings.bcryptCost), String(settings.warmupSeconds), String(settings.durationSeconds)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const entry = track('the raw bcrypt measurement', child, { expectExit: true });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  const { code } = await entry.exited;
  if (code !== 0) throw new Error(`bcrypt-rate.mjs exited with ${code}`);
  return JSON.parse(output);
}

// ---------------------------------------------------------------- load

/** Busy share of all cores over `ms` (from /proc/stat), or undefined where there is none. */
async function machineBusy(ms) {
  const sample = async () => {
    const [cpu] = (await readFile('/proc/stat', 'utf8')).split('\n');
    const ticks = cpu.split(/\s+/).slice(1).map(Number);
    return { idle: ticks[3] + ticks[4], total: ticks.reduce((sum, each) => sum + each, 0) };
  };
  try {
    const before = await sample();
    await sleep(ms);
    const after = await sample();
    return 1 - (after.idle - before.idle) / Math.max(1, after.total - before.total);
  } catch {
    return undefined;
  }
}

/**
 * Waits (up to 20 s) until the machine is quiet: what one scenario leaves behind (sign-ins still
 * hashing, PostgreSQL's autovacuum and checkpoints after a burst of writes) must not be measured
 * as part of the next.
 */
async function settleMachine() {
  const giveUpAt = Date.now() + 20_000;
  while (Date.now() < giveUpAt) {
    const busy = await machineBusy(500);
    if (busy === undefined || busy < 0.15) return;
  }
}

function summarize(result) {
  const errors = result.errors + result.non2xx + result.mismatches; // autocannon's errors include its timeouts
  return {
    // Answered 2xx a second: a quick error never counts as throughput.
    requestsPerSecond: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    requests: result.requests.total,
    errors,
    non2xx: result.non2xx,
    // Status codes other than 2xx, with their counts: what went wrong, when something did.
    ...(result.non2xx > 0 ? { statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).filter(([code]) => !code.startsWith('2')).map(([code, { count }]) => [code, count])) } : {}),
    socketErrorsAndTimeouts: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
  };
}

/**
 * A warm-up, the measured run, then `drain` (one more request of the kind, which waits behind any
 * backlog). `window`, when given, is set to the measured run's span (performance.now() times).
 */
async function load(options, drain, window) {
  const run = (duration) => autocannon({ connections: C, timeout: 60, ...options, duration });
  await settleMachine();
  await run(settings.warmupSeconds);
  if (drain) await drain();
  if (window) Object.assign(window, { from: performance.now(), to: Infinity });
  const result = summarize(await run(settings.durationSeconds));
  if (window) window.to = performance.now();
  if (drain) await drain();
  return result;
}

const percentile = (sorted, p) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);

/**
 * `options` loaded flat out, without an end, while `during()` runs; the figures are those of the
 * answers that arrive within the window `during` reports (see `load`).
 */
async function loadAround(options, during) {
  const window = { from: Infinity, to: -Infinity };
  const inWindow = () => {
    const now = performance.now();
    return now >= window.from && now <= window.to;
  };
  const latencies = [];
  let failures = 0;
  await settleMachine();
  const background = autocannon({ connections: C, timeout: 60, ...options, duration: 24 * 3600 });
  const statusCodes = {};
  background.on('response', (_client, status, _bytes, milliseconds) => {
    if (!inWindow()) return;
    if (status >= 200 && status <= 299) latencies.push(Math.round(milliseconds));
    else {
      failures++;
      statusCodes[status] = (statusCodes[status] ?? 0) + 1;
    }
  });
  background.on('reqError', () => void (inWindow() && failures++));
  const finished = new Promise((done) => background.once('done', done));
  try {
    await sleep(settings.warmupSeconds * 1000);
    const result = await during(window);
    return { result, background: backgroundFigures() };
  } finally {
    background.stop();
    await finished;
  }
  function backgroundFigures() {
    const seconds = (window.to - window.from) / 1000;
    latencies.sort((x, y) => x - y);
    return { requestsPerSecond: latencies.length / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), maxMs: latencies.at(-1) ?? 0, requests: latencies.length + failures, errors: failures, ...(failures > 0 ? { statusCodes } : {}), seconds };
  }
}

// ---------------------------------------------------------------- the FastAPI tutorial service

const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const FASTAPI_MODULES = ['fastapi', 'uvicorn', 'sqlalchemy', 'psycopg2', 'jwt'];

/**
 * Scenario 1's comparison row: FastAPI as its tutorials write `GET /users/me`, under uvicorn with
 * one worker, on a throw-away PostgreSQL holding the bench user (the same id, tenant, email and
 * roles). Undefined, with the reason logged, where Python lacks the modules.
 */
async function startFastapiTutorial(baselineConfig, user) {
  try {
    execFileSync(PYTHON, ['-c', `import ${FASTAPI_MODULES.join(', ')}`], { stdio: 'ignore' });
  } catch {
    log(`   (no FastAPI row: ${PYTHON} lacks ${FASTAPI_MODULES.join(', ')}; Debian: apt-get install python3-fastapi python3-uvicorn python3-sqlalchemy python3-psycopg2 python3-jwt python3-uvloop python3-httptools)`);
    return undefined;
  }
  const password = `bench-${Math.random().toString(36).slice(2)}`;
  const database = await startThrowawayPostgres({ password, persistent: false });
  const fastapiPort = await freePort();
  const entry = track(
    'the FastAPI tutorial service',
    spawn(PYTHON, ['-m', 'uvicorn', 'app:app', '--host', '127.0.0.1', '--port', String(fastapiPort), '--workers', '1'], {
      cwd: join(BENCH_DIR, 'fastapi-tutorial'),
      env: { ...process.env, BASELINE_CONFIG: baselineConfig, DATABASE_URL: database.adminUrl.replace(/^postgres:/, 'postgresql+psycopg2:') },
      // uvicorn's access log goes where the service's request log goes
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  const fastapiBase = `http://127.0.0.1:${fastapiPort}`;
  await waitForHealth(fastapiBase, entry);
  const client = new pg.Client({ connectionString: database.adminUrl });
  await client.connect();
  await client.query('INSERT INTO users (id, tenant_id, email, name, roles, active, created_at, last_login_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
    user.id,
    user.tenantId,
    user.email,
    user.name,
    user.roles,
    user.active,
    user.createdAt,
    user.lastLoginAt,
  ]);
  await client.end();
  return {
    base: fastapiBase,
    stop: async () => {
      await stop(entry);
      await database.server.stop();
      await rm(database.root, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------- scaling out

/** A database every instance of scenario 6 shares: BENCH_DATABASE_URL, or a throw-away server (fsync on, as in production). */
async function sharedDatabase() {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, stop: async () => undefined };
  const password = `bench-${Math.random().toString(36).slice(2)}`;
  const { server, root, adminUrl } = await startThrowawayPostgres({ password, persistent: false, flags: ['-c', 'fsync=on', '-c', 'max_connections=200'] });
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query('CREATE DATABASE portcullis_bench');
  await admin.end();
  return {
    url: adminUrl.replace(/\/postgres$/, '/portcullis_bench'),
    stop: async () => {
      await server.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Scenario 6: `/users/me` over several instances at once, and a logout's reach from one instance to another. */
async function scaleOut(single) {
  const database = await sharedDatabase();
  const instances = [];
  try {
    for (let index = 0; index < settings.instances; index++) {
      const instancePort = await freePort();
      const instanceDir = await mkdtemp(join(os.tmpdir(), 'portcullis-bench-instance-'));
      // One issuer for all, as behind a balancer (it defaults to each instance's own address).
      const entry = startService(instancePort, instanceDir, database.url, { JWT_ISSUER: 'http://portcullis.bench' });
      instances.push({ base: `http://127.0.0.1:${instancePort}`, dir: instanceDir, entry });
    }
    await Promise.all(instances.map(({ base: url, entry }) => waitForHealth(url, entry)));
    const [first, second] = instances;
    const email = 'bench-scale@example.com';
    const password = 'bench scale password';
    await callOk(first.base, 'POST', '/auth/register', { body: { email, password, name: 'Bench Scale' } });
    const signIn = async () => JSON.parse((await callOk(first.base, 'POST', '/auth/login', { body: { email, password } })).text);
    const { access_token: token } = await signIn();
    for (const { base: url } of instances) await callOk(url, 'GET', '/users/me', { token });

    const perInstance = Math.max(1, Math.floor(C / instances.length));
    await settleMachine();
    const runAll = (duration) =>
      Promise.all(instances.map(({ base: url }) => autocannon({ url: `${url}/users/me`, headers: { authorization: `Bearer ${token}` }, connections: perInstance, timeout: 60, duration })));
    await runAll(settings.warmupSeconds);
    const results = (await runAll(settings.durationSeconds)).map(summarize);
    const service = {
      requestsPerSecond: results.reduce((sum, each) => sum + each.requestsPerSecond, 0),
      p50Ms: Math.max(...results.map((each) => each.p50Ms)),
      p99Ms: Math.max(...results.map((each) => each.p99Ms)),
      maxMs: Math.max(...results.map((each) => each.maxMs)),
      requests: results.reduce((sum, each) => sum + each.requests, 0),
      errors: results.reduce((sum, each) => sum + each.errors, 0),
      seconds: settings.durationSeconds,
    };

    // A logout on the first instance, then the second asked every 5 ms until it refuses the token.
    const reachMs = [];
    for (let round = 0; round < 5 && second; round++) {
      const pair = await signIn();
      await callOk(second.base, 'GET', '/users/me', { token: pair.access_token });
      const loggedOutAt = performance.now();
      const logout = await call(first.base, 'POST', '/auth/logout', { token: pair.access_token });
      if (logout.status !== 204) throw new Error(`logout answered ${logout.status}: ${logout.text}`);
      for (;;) {
        const answer = await call(second.base, 'GET', '/users/me', { token: pair.access_token });
        if (answer.status === 401) break;
        if (performance.now() - loggedOutAt > 10_000) throw new Error('the second instance still accepts a logged-out token after 10 s');
        await sleep(5);
      }
      reachMs.push(Math.round(performance.now() - loggedOutAt));
    }
    return {
      name: `GET /users/me over ${instances.length} instances`,
      instances: instances.length,
      connectionsPerInstance: perInstance,
      service,
      perInstance: results,
      ratio: single ? service.requestsPerSecond / single.requestsPerSecond : undefined,
      revocationReachMs: reachMs,
    };
  } finally {
    await Promise.all(instances.map(({ entry }) => stop(entry)));
    await Promise.all(instances.map(({ dir }) => rm(dir, { recursive: true, force: true })));
    await database.stop();
  }
}

// ---------------------------------------------------------------- the run

const dataDir = await mkdtemp(join(os.tmpdir(), 'portcullis-bench-'));
const scratch = await mkdtemp(join(os.tmpdir(), 'portcullis-bench-baseline-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const report = { date: new Date().toISOString(), machine: machine(), commit: commit(), settings, startup: {}, rawBcrypt: undefined, scenarios: {}, loadAverage: { atStart: os.loadavg() } };

function machine() {
  const cpus = os.cpus();
  return { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, totalMemoryMB: Math.round(os.totalmem() / 2 ** 20), node: process.version, platform: `${process.platform} ${os.release()} ${process.arch}` };
}

function commit() {
  try {
    const git = (...args) => execFileSync('git', ['--no-optional-locks', ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = git('status', '--porcelain', '--', '.', ':(exclude)bench/results.json') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? '-dirty' : ''}`;
  } catch {
    return 'unknown';
  }
}

function log(message) {
  process.stdout.write(`${message}\n`);
}

let failed = false;
try {
  // Start to healthy: once on a fresh folder (initdb and migrations), then again on the same folder.
  let startedAt = performance.now();
  let service = startService(port, dataDir);
  await waitForHealth(base, service, 120_000);
  report.startup.firstStartToHealthyMs = performance.now() - startedAt;
  await stop(service);
  startedAt = performance.now();
  service = startService(port, dataDir);
  await waitForHealth(base, service);
  report.startup.restartToHealthyMs = performance.now() - startedAt;
  report.startup.idleRssMB = await idleRssMegabytes(service.child.pid);
  log(`service: healthy ${Math.round(report.startup.firstStartToHealthyMs)} ms after a fresh start, ${Math.round(report.startup.restartToHealthyMs)} ms after a restart on its data folder; idle RSS ${report.startup.idleRssMB.toFixed(1)} MB`);

  // Users: one for the bearer scenarios, more to sign in with (spread over accounts, as real traffic is).
  const password = 'bench user password';
  const emails = Array.from({ length: settings.loginUsers + 1 }, (_, index) => `bench-user-${index}@example.com`);
  await eachLimited(emails, settings.uvThreadpoolSize, (email) => callOk(base, 'POST', '/auth/register', { body: { email, password, name: 'Bench User' } }));
  const signIn = async (email) => JSON.parse((await callOk(base, 'POST', '/auth/login', { body: { email, password } })).text);
  const { access_token: accessToken } = await signIn(emails[0]);
  const me = await callOk(base, 'GET', '/users/me', { token: accessToken });
  const jwks = await callOk(base, 'GET', '/.well-known/jwks.json');
  const { issuer } = JSON.parse((await callOk(base, 'GET', '/.well-known/openid-configuration')).text);

  // The baseline, told what to verify and what to answer.
  const baselinePort = await freePort();
  const baselineBase = `http://127.0.0.1:${baselinePort}`;
  const baselineConfig = join(scratch, 'baseline.json');
  await writeFile(
    baselineConfig,
    JSON.stringify({
      jwksUrl: `${base}/.well-known/jwks.json`,
      algorithm: settings.jwtAlgorithm,
      secret: process.env.JWT_SECRET,
      issuer,
      audience: process.env.JWT_AUDIENCE?.trim() || 'portcullis',
      meBody: me.text,
      jwksBody: jwks.text,
      guardOnlyPath: settings.guardOnlyPath,
    }),
  );
  const baseline = track('the baseline', spawn(process.execPath, [join(BENCH_DIR, 'baseline-server.mjs')], { cwd: ROOT, env: { ...process.env, PORT: String(baselinePort), BASELINE_CONFIG: baselineConfig }, stdio: ['ignore', 'inherit', 'inherit'] }));
  await waitForHealth(baselineBase, baseline);
  const baselineMe = await callOk(baselineBase, 'GET', '/users/me', { token: accessToken });
  if (baselineMe.text !== me.text) throw new Error('the baseline does not answer what the service answers');
  const floorPort = await freePort();
  const floorBase = `http://127.0.0.1:${floorPort}`;
  const floor = track('the framework floor', spawn(process.execPath, [join(BENCH_DIR, 'framework-floor-server.mjs')], { cwd: ROOT, env: { ...process.env, PORT: String(floorPort), BASELINE_CONFIG: baselineConfig }, stdio: ['ignore', 'inherit', 'inherit'] }));
  await waitForHealth(floorBase, floor);
  if ((await callOk(floorBase, 'GET', '/users/me', { token: accessToken })).text !== me.text) throw new Error('the framework floor does not answer what the service answers');
  const meUser = JSON.parse(me.text);
  const fastapi = runs('1') ? await startFastapiTutorial(baselineConfig, meUser) : undefined;
  if (fastapi) {
    const answer = JSON.parse((await callOk(fastapi.base, 'GET', '/users/me', { token: accessToken })).text);
    if (answer.id !== meUser.id || answer.email !== meUser.email || answer.roles.join() !== meUser.roles.join()) throw new Error('the FastAPI tutorial service does not answer the same user');
  }
  const signatureAt = accessToken.lastIndexOf('.') + 10;
  const forged = `${accessToken.slice(0, signatureAt)}${accessToken[signatureAt] === 'A' ? 'B' : 'A'}${accessToken.slice(signatureAt + 1)}`;
  if ((await call(baselineBase, 'GET', '/users/me', { token: forged })).status !== 401) throw new Error('the baseline accepts a forged token');

  // Raw bcrypt, while everything else is idle.
  if (runs('4')) {
    log(`raw bcrypt: cost ${settings.bcryptCost}, ${settings.uvThreadpoolSize} compares at a time, in its own process…`);
    report.rawBcrypt = await measureRawBcrypt();
  }

  const bearer = { authorization: `Bearer ${accessToken}` };
  const getMe = (url) => ({ url: `${url}/users/me`, headers: bearer });
  const drainGet = (url, path) => () => settle(() => call(url, 'GET', path, { token: accessToken }));

  // Sign-ins, round robin over the accounts; every token pair they answer goes into the refresh pool.
  const harvested = [];
  let nextLoginUser = 0;
  const loginLoad = {
    url: base,
    connections: settings.loginConnections,
    requests: [
      {
        method: 'POST',
        path: '/auth/login',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: JSON.stringify({ email: emails[1 + (nextLoginUser++ % settings.loginUsers)], password }) }),
        onResponse: (status, body) => {
          if (status === 200) harvested.push(JSON.parse(body).refresh_token);
        },
      },
    ],
  };
  const drainLogin = () =>
    settle(async () => {
      const answer = await call(base, 'POST', '/auth/login', { body: { email: emails[1], password } });
      if (answer.status === 200) harvested.push(JSON.parse(answer.text).refresh_token);
    });

  if (runs('1')) log('1  GET /users/me');
  if (runs('1')) report.scenarios.usersMe = { name: 'GET /users/me', service: await load(getMe(base), drainGet(base, '/users/me')), baseline: await load(getMe(baselineBase)), frameworkFloor: await load(getMe(floorBase)) };
  await stop(floor);
  if (fastapi) {
    if ((await call(fastapi.base, 'GET', '/users/me', { token: forged })).status !== 401) throw new Error('the FastAPI tutorial service accepts a forged token');
    report.scenarios.usersMe.fastapiTutorial = await load(getMe(fastapi.base), drainGet(fastapi.base, '/users/me'));
    await fastapi.stop();
  }

  const probe = await call(base, 'GET', settings.guardOnlyPath, { token: accessToken });
  if (!runs('2')) {
    // not asked for
  } else if (probe.status === 404) {
    log(`2  GET ${settings.guardOnlyPath}: skipped (no such route yet)`);
    report.scenarios.guardOnly = { name: `GET ${settings.guardOnlyPath}`, skipped: 'no such route yet (404)' };
  } else {
    log(`2  GET ${settings.guardOnlyPath}`);
    const guardOnly = (url) => ({ url: `${url}${settings.guardOnlyPath}`, headers: bearer });
    report.scenarios.guardOnly = { name: `GET ${settings.guardOnlyPath}`, service: await load(guardOnly(base), drainGet(base, settings.guardOnlyPath)), baseline: await load(guardOnly(baselineBase)) };
  }

  if (runs('x')) log('x  GET /.well-known/jwks.json');
  if (runs('x')) report.scenarios.jwks = { name: 'GET /.well-known/jwks.json (public)', service: await load({ url: `${base}/.well-known/jwks.json` }), baseline: await load({ url: `${baselineBase}/.well-known/jwks.json` }) };

  if (runs('4')) log(`4  POST /auth/login (bcrypt cost ${settings.bcryptCost})`);
  if (runs('4')) report.scenarios.login = { name: `POST /auth/login (cost ${settings.bcryptCost})`, service: await load(loginLoad, drainLogin) };

  if (runs('5')) log('5  GET /users/me while POST /auth/login runs flat out');
  // Sign-ins run without a break from before the warm-up to the end of the measured run of /users/me.
  const underLogins = async (target) => {
    const { result: usersMe, background: login } = await loadAround(loginLoad, (window) => load(getMe(target), undefined, window));
    await drainLogin();
    return { usersMe, login };
  };
  if (runs('5')) {
    const mixedService = await underLogins(base);
    // The baseline's figures under the same login load on the service: what the cores left allow.
    const mixedBaseline = await underLogins(baselineBase);
    report.scenarios.usersMeUnderLogins = { name: 'GET /users/me during logins', service: mixedService.usersMe, loginsMeanwhile: mixedService.login, baseline: mixedBaseline.usersMe, baselineLoginsMeanwhile: mixedBaseline.login };
  }

  if (runs('3')) log(`3  POST /auth/refresh (a pool of ${REFRESH_POOL} live refresh tokens)`);
  while (runs('3') && harvested.length < REFRESH_POOL) {
    await eachLimited(Array.from({ length: REFRESH_POOL - harvested.length }, (_, index) => emails[1 + (index % settings.loginUsers)]), settings.uvThreadpoolSize, async (email) => harvested.push((await signIn(email)).refresh_token));
  }
  const pool = harvested.splice(0);
  let poolRanDry = 0;
  const refreshLoad = {
    url: base,
    requests: [
      {
        method: 'POST',
        path: '/auth/refresh',
        headers: { 'content-type': 'application/json' },
        // Each request takes a live token; a 200 puts the rotated one back. An empty pool sends a dead token (counted as an error).
        setupRequest: (request) => {
          const token = pool.shift() ?? (poolRanDry++, 'bench-pool-ran-dry');
          return { ...request, body: JSON.stringify({ refresh_token: token }) };
        },
        onResponse: (status, body) => {
          if (status === 200) pool.push(JSON.parse(body).refresh_token);
        },
      },
    ],
  };
  const drainRefresh = () =>
    settle(async () => {
      const answer = await call(base, 'POST', '/auth/refresh', { body: { refresh_token: pool.shift() ?? 'bench-pool-ran-dry' } });
      if (answer.status === 200) pool.push(JSON.parse(answer.text).refresh_token);
    });
  if (runs('3')) report.scenarios.refresh = { name: 'POST /auth/refresh', service: await load(refreshLoad, drainRefresh), poolSize: REFRESH_POOL, poolRanDry };

  if (runs('6')) {
    // The single instance's service is stopped first: its cores go to the instances.
    await stop(service);
    log(`6  GET /users/me over ${settings.instances} instances sharing one PostgreSQL, and a logout's reach between them`);
    report.scenarios.scaleOut = await scaleOut(report.scenarios.usersMe?.service);
  }
} catch (error) {
  failed = true;
  const cause = error instanceof Error && error.cause ? ` (cause: ${error.cause instanceof Error ? error.cause.message : String(error.cause)})` : '';
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}${cause}\n`);
} finally {
  await stopAll();
  await rm(dataDir, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
}

// ---------------------------------------------------------------- the table and results.json

const s = report.scenarios;
const percent = (value) => `${(value * 100).toFixed(0)}%`;
if (s.usersMe) {
  s.usersMe.ratio = s.usersMe.service.requestsPerSecond / s.usersMe.baseline.requestsPerSecond;
  s.usersMe.frameworkFloorRatio = s.usersMe.frameworkFloor.requestsPerSecond / s.usersMe.baseline.requestsPerSecond;
  if (s.usersMe.fastapiTutorial) s.usersMe.timesFastapiTutorial = s.usersMe.service.requestsPerSecond / s.usersMe.fastapiTutorial.requestsPerSecond;
}
if (s.guardOnly?.service) s.guardOnly.ratio = s.guardOnly.service.requestsPerSecond / s.guardOnly.baseline.requestsPerSecond;
if (s.jwks) s.jwks.ratio = s.jwks.service.requestsPerSecond / s.jwks.baseline.requestsPerSecond;
if (s.refresh) s.refresh.rotationsPerSecond = s.refresh.service.requestsPerSecond;
if (s.login && report.rawBcrypt) s.login.shareOfRawBcrypt = s.login.service.requestsPerSecond / report.rawBcrypt.comparesPerSecond;
if (s.usersMeUnderLogins) {
  s.usersMeUnderLogins.p99Ratio = s.usersMeUnderLogins.service.p99Ms / s.usersMeUnderLogins.baseline.p99Ms;
  s.usersMeUnderLogins.ratio = s.usersMeUnderLogins.service.requestsPerSecond / s.usersMeUnderLogins.baseline.requestsPerSecond;
}

const rows = [['scenario', 'requests/s', 'p50 ms', 'p99 ms', 'errors', 'ratio']];
const row = (label, figures, ratio = '') =>
  rows.push([label, figures.requestsPerSecond.toFixed(figures.requestsPerSecond < 100 ? 1 : 0), String(figures.p50Ms), String(figures.p99Ms), String(figures.errors), ratio]);
if (s.usersMe) {
  row('1 GET /users/me', s.usersMe.service, `${percent(s.usersMe.ratio)} of baseline`);
  row('  baseline (node:http + fast-jwt)', s.usersMe.baseline);
  row('  NestJS + Fastify alone, one guard', s.usersMe.frameworkFloor, `${percent(s.usersMe.frameworkFloorRatio)} of baseline`);
  if (s.usersMe.fastapiTutorial) row('  FastAPI tutorial (uvicorn, 1 worker, SQLAlchemy)', s.usersMe.fastapiTutorial, `service ${s.usersMe.timesFastapiTutorial.toFixed(1)}× this`);
}
if (s.guardOnly?.skipped) rows.push([`2 GET ${settings.guardOnlyPath}`, '-', '-', '-', '-', 'skipped (no such route yet)']);
else if (s.guardOnly) {
  row(`2 GET ${settings.guardOnlyPath}`, s.guardOnly.service, `${percent(s.guardOnly.ratio)} of baseline`);
  row('  baseline', s.guardOnly.baseline);
}
if (s.refresh) row('3 POST /auth/refresh', s.refresh.service, `${s.refresh.rotationsPerSecond.toFixed(0)} rotations/s`);
if (s.login) row(`4 POST /auth/login (cost ${settings.bcryptCost})`, s.login.service, `${percent(s.login.shareOfRawBcrypt)} of raw bcrypt`);
if (report.rawBcrypt) rows.push(['  raw bcrypt.compare', report.rawBcrypt.comparesPerSecond.toFixed(1), '-', '-', String(report.rawBcrypt.failures), `${report.rawBcrypt.concurrency} at a time`]);
if (s.usersMeUnderLogins) {
  row('5 GET /users/me during logins', s.usersMeUnderLogins.service, `p99 ${s.usersMeUnderLogins.p99Ratio.toFixed(1)}× baseline's`);
  row('  logins meanwhile', s.usersMeUnderLogins.loginsMeanwhile);
  row('  baseline during logins', s.usersMeUnderLogins.baseline);
}
if (s.scaleOut) {
  row(`6 GET /users/me, ${s.scaleOut.instances} instances`, s.scaleOut.service, s.scaleOut.ratio === undefined ? '' : `${s.scaleOut.ratio.toFixed(2)}× one instance`);
  rows.push(['  logout refused by another instance after', '-', '-', '-', '-', `${s.scaleOut.revocationReachMs.join(', ')} ms`]);
}
if (s.jwks) {
  row('x GET /.well-known/jwks.json', s.jwks.service, `${percent(s.jwks.ratio)} of baseline`);
  row('  baseline', s.jwks.baseline);
}
const widths = rows[0].map((_, column) => Math.max(...rows.map((cells) => cells[column].length)));
const line = (cells) => cells.map((cell, column) => (column === 0 || column === 5 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd();
log('');
log(`${report.machine.cpu}, ${report.machine.cores} cores, Node ${process.version}; commit ${report.commit}; ${C} connections (${settings.loginConnections} for sign-ins), ${settings.durationSeconds} s after ${settings.warmupSeconds} s of warm-up; ${settings.jwtAlgorithm}; LOG_LEVEL=${settings.logLevel}`);
log(line(rows[0]));
log(line(rows[0].map((_, column) => '-'.repeat(widths[column]))));
for (const cells of rows.slice(1)) log(line(cells));
if (report.startup.restartToHealthyMs !== undefined) {
  log(`start to healthy: ${Math.round(report.startup.restartToHealthyMs)} ms on an existing data folder (${Math.round(report.startup.firstStartToHealthyMs)} ms fresh); idle RSS ${report.startup.idleRssMB.toFixed(1)} MB (the service's process, without PostgreSQL)`);
}

const scenarioErrors = Object.values(s).reduce(
  (sum, scenario) => sum + [scenario.service, scenario.baseline, scenario.frameworkFloor, scenario.fastapiTutorial, scenario.loginsMeanwhile, scenario.baselineLoginsMeanwhile].reduce((inner, figures) => inner + (figures?.errors ?? 0), 0),
  0,
);
report.errors = scenarioErrors;
report.loadAverage.atEnd = os.loadavg(); // 1, 5, 15 minutes: other work on the machine skews every figure
report.completed = !failed;
if (only === undefined) {
  await mkdir(join(ROOT, 'bench'), { recursive: true });
  await writeFile(join(ROOT, 'bench/results.json'), `${JSON.stringify(report, null, 2)}\n`);
  log(`written: bench/results.json${failed ? ' (incomplete: the run failed)' : ''}`);
}
if (scenarioErrors > 0) log(`${scenarioErrors} requests failed`);
process.exitCode = failed || scenarioErrors > 0 ? 1 : 0;
