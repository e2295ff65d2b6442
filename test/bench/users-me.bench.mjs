// `npm run bench`: GET /users/me under load, against the built service in its own process on a
// throw-away embedded PostgreSQL (or BENCH_DATABASE_URL). Plain JavaScript: it runs dist/, not src/.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { freePort } from '../support/free-port.mjs';

const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

async function waitForHealth(base, child) {
  for (let attempt = 0; attempt < 120; attempt++) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error('the service did not become healthy in 30 s');
}

async function json(response) {
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const dataDir = await mkdtemp(join(tmpdir(), 'portcullis-bench-'));
const env = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', BOOTSTRAP_ADMIN_EMAIL: 'bench@portcullis.local', BOOTSTRAP_ADMIN_PASSWORD: 'bench-superadmin-password' };
delete env.DATABASE_URL;
if (process.env.BENCH_DATABASE_URL) env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
const child = spawn(process.execPath, ['dist/src/main.js'], { env, stdio: ['ignore', 'ignore', 'inherit'] });

try {
  await waitForHealth(base, child);
  const credentials = { email: 'bench-user@example.com', password: 'bench user password' };
  await json(await fetch(`${base}/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credentials) }));
  const tokens = await json(await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credentials) }));
  const headers = { authorization: `Bearer ${tokens.access_token}` };
  await json(await fetch(`${base}/users/me`, { headers }));

  // A short warm-up, then the measured run.
  await autocannon({ url: `${base}/users/me`, headers, connections: CONNECTIONS, duration: 2 });
  const result = await autocannon({ url: `${base}/users/me`, headers, connections: CONNECTIONS, duration: DURATION_SECONDS });
  const failures = result.non2xx + result.errors + result.timeouts;
  console.log(
    [
      `GET /users/me, ${CONNECTIONS} connections, ${DURATION_SECONDS} s, Node ${process.version}, one service process`,
      `  requests/s: ${Math.round(result.requests.average)} (min ${result.requests.min}, max ${result.requests.max})`,
      `  latency ms: p50 ${result.latency.p50}, p99 ${result.latency.p99}, max ${result.latency.max}`,
      `  answered: ${result.requests.total} total, ${failures} not 2xx / errors / timeouts`,
    ].join('\n'),
  );
  if (failures > 0) process.exitCode = 1;
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
  await rm(dataDir, { recursive: true, force: true });
}
