import type { Response } from 'supertest';
import { Housekeeping } from '../../src/ops/housekeeping/housekeeping.service.js';
import { uniqueEmail } from '../support/factories.js';
import { createTestDatabase, startTestApp, type TestApp } from '../support/test-app.js';

const LIMIT = 12;

/** A credential request that is cheap to answer (no password work): an unknown refresh token, 401. */
const cheapHit = (t: TestApp, forwardedFor?: string) =>
  t
    .api()
    .post('/auth/refresh')
    .set(forwardedFor === undefined ? {} : { 'X-Forwarded-For': forwardedFor })
    .send({ refresh_token: 'not-a-refresh-token' });

/** The limiter let it through: whatever the route answered, it was not refused for the rate. */
function expectPassed(response: Response, remaining: number): void {
  expect(response.status).not.toBe(429);
  expect(response.status).toBeLessThan(500);
  expect(response.headers['ratelimit-limit']).toBe(String(LIMIT));
  expect(response.headers['ratelimit-remaining']).toBe(String(remaining));
  expect(Number(response.headers['ratelimit-reset'])).toBeGreaterThanOrEqual(1);
  expect(Number(response.headers['ratelimit-reset'])).toBeLessThanOrEqual(60);
}

function expectRateLimitHeaders(response: Response): void {
  expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60);
  expect(response.headers['ratelimit-limit']).toBe(String(LIMIT));
  expect(response.headers['ratelimit-remaining']).toBe('0');
  expect(Number(response.headers['ratelimit-reset'])).toBeGreaterThanOrEqual(1);
  expect(Number(response.headers['ratelimit-reset'])).toBeLessThanOrEqual(60);
}

/** Refused in the contract's JSON shape. */
function expectRateLimited(response: Response): void {
  expect(response.status).toBe(429);
  expect(response.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.any(String), code: 'rate_limited' });
  expectRateLimitHeaders(response);
}

/** Refused in RFC 6749 §5.2 form (the token endpoint). */
function expectOAuthRateLimited(response: Response): void {
  expect(response.status).toBe(429);
  expect(response.body).toEqual({ error: 'rate_limited', error_description: expect.any(String) });
  expect(response.headers['cache-control']).toBe('no-store');
  expectRateLimitHeaders(response);
}

/** Spends what is left of the client's budget (all of it unless told otherwise) and checks the next hit is refused. */
async function spendBudget(t: TestApp, forwardedFor?: string, alreadySpent = 0): Promise<void> {
  for (let remaining = LIMIT - 1 - alreadySpent; remaining >= 0; remaining--) expectPassed(await cheapHit(t, forwardedFor), remaining);
  expectRateLimited(await cheapHit(t, forwardedFor));
}

describe('Rate limit on the credential endpoints', () => {
  describe('without a trusted proxy, two instances on one database', () => {
    let a: TestApp;
    let b: TestApp;

    beforeAll(async () => {
      const databaseUrl = await createTestDatabase();
      a = await startTestApp({ AUTH_RATE_LIMIT: String(LIMIT) }, databaseUrl);
      b = await startTestApp({ AUTH_RATE_LIMIT: String(LIMIT) }, databaseUrl);
    });
    afterAll(async () => {
      await a.close();
      await b.close();
    });
    beforeEach(() => a.sql('DELETE FROM rate_limits'));

    it('lets 12 credential requests through across both instances, whatever they answer, and refuses the 13th on every route', async () => {
      const email = uniqueEmail();
      const password = 'a-long-enough-password-1';
      const responses: Response[] = [];
      const pass = async (request: Promise<Response>, expectedStatus: number): Promise<Response> => {
        const response = await request;
        expectPassed(response, LIMIT - responses.length - 1);
        expect(response.status).toBe(expectedStatus);
        responses.push(response);
        return response;
      };

      await pass(a.api().post('/auth/register').send({ email, password }), 201);
      const tokens = (await pass(b.api().post('/auth/login').send({ email, password }), 200)).body;
      const rotated = (await pass(a.api().post('/auth/refresh').send({ refresh_token: tokens.refresh_token }), 200)).body;
      await pass(b.api().post('/auth/token').type('form').send({ grant_type: 'password', username: email, password }), 200);
      await pass(a.api().post('/auth/login').send({ email, password: 'a-wrong-password-123' }), 401);
      await pass(b.api().post('/auth/login').send({}), 400);
      await pass(a.api().post('/auth/token').type('form').send({ grant_type: 'urn:unknown' }), 400);
      await pass(b.api().post('/auth/refresh').send({ refresh_token: 'not-a-refresh-token' }), 401);
      await pass(a.api().post('/auth/register').send({ email, password }), 409);
      await pass(b.api().post('/auth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: rotated.refresh_token }), 200);
      await pass(a.api().post('/auth/login').send({ email, password: 'another-wrong-password' }), 401);
      await pass(b.api().post('/auth/refresh').send({ refresh_token: 'still-not-a-refresh-token' }), 401);

      // Over the limit on both instances, on all five routes, before any password check or validation.
      expectRateLimited(await a.api().post('/auth/login').send({ email, password }));
      expectRateLimited(await b.api().post('/auth/login').send({ email, password: 'a-wrong-password-123' }));
      expectRateLimited(await a.api().post('/auth/login').send({}));
      expectRateLimited(await b.api().post('/auth/register').send({ email: uniqueEmail(), password }));
      expectRateLimited(await a.api().post('/auth/refresh').send({ refresh_token: rotated.refresh_token }));
      expectOAuthRateLimited(await b.api().post('/auth/token').type('form').send({ grant_type: 'password', username: email, password }));
      expectOAuthRateLimited(await a.api().post('/auth/token').send({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' }));
      // Revocation is anonymous and costs a hash and a query (or a signature check) a call: limited alike.
      expectOAuthRateLimited(await b.api().post('/auth/revoke').send({ token: rotated.refresh_token }));

      // One counter for the client, named by its address alone: no email, password or token in it.
      expect(await a.sql('SELECT key FROM rate_limits')).toEqual([{ key: 'credentials:127.0.0.1' }]);
    });

    it('ignores a client-sent X-Forwarded-For: spoofed addresses still share the socket peer’s budget', async () => {
      for (let remaining = LIMIT - 1; remaining >= 0; remaining--) {
        expectPassed(await cheapHit(remaining % 2 === 0 ? a : b, `198.51.100.${remaining}`), remaining);
      }
      expectRateLimited(await cheapHit(a, '203.0.113.77'));
      expectRateLimited(await cheapHit(b, '203.0.113.78, 203.0.113.79'));
      expect(await a.sql('SELECT key FROM rate_limits')).toEqual([{ key: 'credentials:127.0.0.1' }]);
    });

    it('limits only the credential routes (revocation among them), and other routes spend none of the budget', async () => {
      for (let i = 0; i < LIMIT + 3; i++) {
        const jwks = await a.api().get('/.well-known/jwks.json').expect(200);
        expect(jwks.headers['ratelimit-limit']).toBeUndefined();
        await b.api().get('/users/me').expect(401);
      }
      const revoke = await b.api().post('/auth/revoke').send({ token: 'unknown' }).expect(200);
      expect(revoke.headers['ratelimit-remaining']).toBe(String(LIMIT - 1));
      expectPassed(await cheapHit(a), LIMIT - 2);
      await spendBudget(b, undefined, 2);

      await a.api().get('/health').expect(200);
      await a.api().get('/.well-known/openid-configuration').expect(200);
      await a.api().get('/users/me').expect(401);
    });

    it('starts a new window once the current one is over', async () => {
      await spendBudget(a);
      await a.sql(`UPDATE rate_limits SET expires_at = now() - interval '1 millisecond'`);
      expectPassed(await cheapHit(b), LIMIT - 1);
      expect(await a.sql('SELECT hits FROM rate_limits')).toEqual([{ hits: 1 }]);
      for (let remaining = LIMIT - 2; remaining >= 0; remaining--) expectPassed(await cheapHit(a), remaining);
      expectRateLimited(await cheapHit(b));
    });

    it('has the periodic cleanup remove expired counters and keep live ones', async () => {
      expectPassed(await cheapHit(a), LIMIT - 1);
      await a.sql(`INSERT INTO rate_limits (key, hits, expires_at) VALUES ('credentials:192.0.2.1', 3, now() - interval '1 second')`);

      const report = await a.app.get(Housekeeping).purgeExpired();

      expect(report?.rateLimits).toBe(1);
      expect(await a.sql('SELECT key FROM rate_limits')).toEqual([{ key: 'credentials:127.0.0.1' }]);
    });

    it('lets exactly 12 of 30 simultaneous requests through, on both instances, and refuses the rest without a 5xx', async () => {
      const responses = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          i % 3 === 0
            ? (i % 2 === 0 ? a : b).api().post('/auth/token').type('form').send({ grant_type: 'urn:unknown' })
            : cheapHit(i % 2 === 0 ? a : b),
        ),
      );
      const refused = responses.filter((response) => response.status === 429);
      const passed = responses.filter((response) => response.status !== 429);
      expect(responses.filter((response) => response.status >= 500)).toEqual([]);
      expect(passed).toHaveLength(LIMIT);
      expect(refused).toHaveLength(30 - LIMIT);
      // Each hit that passed saw its own count: the remaining budgets are 11, 10, ..., 0, once each.
      const remaining = passed.map((response) => Number(response.headers['ratelimit-remaining'])).sort((x, y) => x - y);
      expect(remaining).toEqual(Array.from({ length: LIMIT }, (_, i) => i));
      for (const response of refused) expect(response.headers['retry-after']).toBeDefined();
      expect(await a.sql('SELECT hits FROM rate_limits')).toEqual([{ hits: 30 }]);
    });
  });

  describe('behind a trusted proxy (TRUST_PROXY=127.0.0.1)', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp({ AUTH_RATE_LIMIT: String(LIMIT), TRUST_PROXY: '127.0.0.1' });
    });
    afterAll(() => t.close());
    beforeEach(() => t.sql('DELETE FROM rate_limits'));

    it('gives each forwarded client address a budget of its own', async () => {
      await spendBudget(t, '203.0.113.1');
      expectPassed(await cheapHit(t, '203.0.113.2'), LIMIT - 1);
      expectRateLimited(await cheapHit(t, '203.0.113.1'));
      const keys = await t.sql<{ key: string }>('SELECT key FROM rate_limits ORDER BY key');
      expect(keys.map((row) => row.key)).toEqual(['credentials:203.0.113.1', 'credentials:203.0.113.2']);
    });

    it('reads the address the proxy appended, so what the client puts in front of it changes nothing', async () => {
      for (let remaining = LIMIT - 1; remaining >= 0; remaining--) {
        expectPassed(await cheapHit(t, `10.9.8.${remaining}, 203.0.113.9`), remaining);
      }
      expectRateLimited(await cheapHit(t, '198.51.100.200, 203.0.113.9'));
      expectRateLimited(await cheapHit(t, '203.0.113.9'));
    });

    it('takes a forwarded value that is not an IP address for the proxy itself: no 5xx, no fresh budget per string', async () => {
      for (let remaining = LIMIT - 1; remaining >= 0; remaining--) expectPassed(await cheapHit(t, `${'x'.repeat(300)}${remaining}`), remaining);
      expectRateLimited(await cheapHit(t, 'not-an-address'));
      const keys = await t.sql<{ key: string }>('SELECT key FROM rate_limits');
      expect(keys.map((row) => row.key)).toEqual([expect.stringMatching(/^credentials:(::ffff:)?127\.0\.0\.1$/)]);
    });
  });

  describe('behind one proxy given as a hop count (TRUST_PROXY=1)', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp({ AUTH_RATE_LIMIT: String(LIMIT), TRUST_PROXY: '1' });
    });
    afterAll(() => t.close());

    it('takes the client from the last hop of X-Forwarded-For', async () => {
      expectPassed(await cheapHit(t, '10.0.0.1, 198.51.100.7'), LIMIT - 1);
      expectPassed(await cheapHit(t, '198.51.100.8'), LIMIT - 1);
      const keys = await t.sql<{ key: string }>('SELECT key FROM rate_limits ORDER BY key');
      expect(keys.map((row) => row.key)).toEqual(['credentials:198.51.100.7', 'credentials:198.51.100.8']);
    });
  });
});
