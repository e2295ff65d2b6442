import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('GET /health when the database goes away', () => {
  let t: TestApp;
  let admin: pg.Client;
  let database: string;

  beforeAll(async () => {
    t = await startTestApp();
    database = new URL(t.databaseUrl).pathname.slice(1);
    admin = new pg.Client({ connectionString: process.env.PORTCULLIS_TEST_ADMIN_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS true`);
    await admin.end();
    await t.close();
  });

  it('answers 503 service_unavailable while it is unreachable, and 200 again once it is back, without a restart', async () => {
    await t.api().get('/health').expect(200);

    await admin.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [database]);
    const down = await t.api().get('/health');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ statusCode: 503, code: 'service_unavailable', message: expect.stringMatching(/database/) });
    expect(Number(down.headers['retry-after'])).toBeGreaterThan(0);

    await admin.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS true`);
    // The pool reconnects at once; the notification connection on its back-off, then resynchronizes.
    const started = Date.now();
    let up = await t.api().get('/health');
    while (up.status !== 200 && Date.now() - started < 15_000) {
      await sleep(200);
      up = await t.api().get('/health');
    }
    expect(up.status).toBe(200);
    expect(up.body.status).toBe('ok');
    expect(up.body.info.notifications.status).toBe('up');
  });
});
