import { setTimeout as sleep } from 'node:timers/promises';
import { login, registerUser } from '../support/factories.js';
import { type BlackholeProxy, startBlackholeProxy } from '../support/blackhole-proxy.js';
import { HEARTBEAT_DEADLINE_MS } from '../../src/database/database-notifications.service.js';
import { createTestDatabase, startTestApp, type TestApp } from '../support/test-app.js';

describe('An instance whose LISTEN connection is silently black-holed', () => {
  let proxy: BlackholeProxy;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    proxy = await startBlackholeProxy(databaseUrl);
    a = await startTestApp({}, databaseUrl);
    // b reaches the database only through the proxy.
    b = await startTestApp({}, proxy.url);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
    await proxy.close();
  });

  /** Polls `probe` until `done` holds; answers the last result, or fails after `ms`. */
  async function until<T>(ms: number, probe: () => Promise<T>, done: (result: T) => boolean): Promise<T> {
    const started = Date.now();
    for (;;) {
      const result = await probe();
      if (done(result)) return result;
      if (Date.now() - started > ms) throw new Error(`not within ${ms} ms: ${JSON.stringify(result)}`);
      await sleep(100);
    }
  }

  const listenerPids = async () =>
    (await a.sql<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = 'portcullis-listener' AND datname = current_database() ORDER BY pid`)).map(
      (row) => row.pid,
    );

  it('does not take a healthy connection for dead when the event loop stalls past the heartbeat deadline', async () => {
    const user = await registerUser(a);
    const tokens = await login(a, user);
    await until(5_000, () => b.api().get('/health'), (response) => response.status === 200);
    const before = await listenerPids();
    expect(before).toHaveLength(2);
    // Both instances run in this process: block it, as a long synchronous task or a GC pause would.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, HEARTBEAT_DEADLINE_MS + 1_000);
    // The requests queued meanwhile may be answered 503 (nothing vouched for what arrived during
    // the stall), but the first heartbeat after it vouches again: no reconnect, no resync.
    await until(3_000, () => a.api().get('/users/me').set('Authorization', `Bearer ${tokens.access_token}`), (response) => response.status === 200);
    await sleep(HEARTBEAT_DEADLINE_MS);
    expect(await listenerPids()).toEqual(before);
    await b.api().get('/health').expect(200);
  });

  it('accepts a token revoked on another instance for at most 2 s, says why on /health, and recovers on its own', async () => {
    const user = await registerUser(a);
    const tokens = await login(a, user);
    const me = () => b.api().get('/users/me').set('Authorization', `Bearer ${tokens.access_token}`);
    await me().expect(200);
    await b.api().get('/health').expect(200);

    proxy.blackhole();
    await a.api().post('/auth/logout').set('Authorization', `Bearer ${tokens.access_token}`).expect(204);
    const loggedOutAt = Date.now();
    // The bound is on when a request was sent, so a slow answer on a loaded machine cannot fail it.
    let lastAcceptedSentAfterMs = -1;
    const refused = await until(10_000, async () => {
      const sentAfterMs = Date.now() - loggedOutAt;
      const response = await me();
      if (response.status === 200) lastAcceptedSentAfterMs = sentAfterMs;
      return response;
    }, (response) => response.status !== 200);
    expect(lastAcceptedSentAfterMs).toBeLessThan(2_000);
    // Either b noticed it is deaf (503, no token trusted on stale state), or it has already caught up (401).
    expect([
      { status: 503, code: 'service_unavailable' },
      { status: 401, code: 'token_revoked' },
    ]).toContainEqual({ status: refused.status, code: refused.body.code });

    // While new listener connections are swallowed too, /health is down and says why.
    const health = await until(10_000, () => b.api().get('/health'), (response) => response.status === 503);
    expect(health.body).toMatchObject({ statusCode: 503, code: 'service_unavailable', message: expect.stringMatching(/notifications: .*(heartbeat|connection|timeout)/i) });
    expect((await me()).status).toBe(503);

    proxy.restore();
    await until(25_000, () => b.api().get('/health'), (response) => response.status === 200);
    const after = await me();
    expect({ status: after.status, code: after.body.code }).toEqual({ status: 401, code: 'token_revoked' });
    // And it hears the others again, within the usual second.
    const next = await login(a, user);
    await b.api().get('/users/me').set('Authorization', `Bearer ${next.access_token}`).expect(200);
    await a.api().post('/auth/logout').set('Authorization', `Bearer ${next.access_token}`).expect(204);
    await until(1_000, () => b.api().get('/users/me').set('Authorization', `Bearer ${next.access_token}`), (response) => response.status === 401);
  }, 60_000);
});
