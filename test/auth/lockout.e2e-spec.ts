import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { login, registerUser, uniqueEmail } from '../support/factories.js';
import { createTenant, createUser, superadminTokens, type Tenant } from '../support/principals.js';
import { createTestDatabase, SUPERADMIN, startTestApp, type TestApp } from '../support/test-app.js';

const MAX_FAILURES = 5;
const MAX_FAILURES_ACCOUNT = 20;
const LOCKOUT_SECONDS = 600;
const REFRESH_TOKEN_TTL_SECONDS = 30 * 86400;

describe('Account lockout across instances', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    // Both instances behind a proxy on the loopback, which names each request's client in
    // X-Forwarded-For; a request without it comes from the proxy's own address.
    const settings = {
      LOGIN_MAX_FAILURES: String(MAX_FAILURES),
      LOGIN_MAX_FAILURES_ACCOUNT: String(MAX_FAILURES_ACCOUNT),
      LOGIN_LOCKOUT: `${LOCKOUT_SECONDS}s`,
      TRUST_PROXY: '127.0.0.1',
    };
    a = await startTestApp(settings, databaseUrl);
    b = await startTestApp(settings, databaseUrl);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  const attempt = (t: TestApp, email: string, password: string, tenant?: string) => t.api().post('/auth/login').send({ email, password, tenant });
  /** The parts of an answer that could tell one account from another (not the date or the request id). */
  const visible = (response: Response) => ({
    status: response.status,
    body: response.body as unknown,
    retryAfter: response.headers['retry-after'] === undefined ? undefined : 'set',
    headers: Object.keys(response.headers).filter((name) => !['date', 'retry-after', 'content-length'].includes(name)).sort(),
  });

  /** Moves an account's lockout history `seconds` into the past, as waiting that long would. */
  async function travel(email: string, seconds: number): Promise<void> {
    await a.sql(
      `UPDATE login_attempts SET
         failed_at = ARRAY(SELECT at - make_interval(secs => $2) FROM unnest(failed_at) AS at),
         reserved_at = ARRAY(SELECT at - make_interval(secs => $2) FROM unnest(reserved_at) AS at),
         locked_until = locked_until - make_interval(secs => $2),
         signed_in_at = signed_in_at - make_interval(secs => $2)
       WHERE email = $1`,
      [email, seconds],
    );
  }

  async function failTimes(count: number, email: string): Promise<Response[]> {
    const answers: Response[] = [];
    for (let i = 0; i < count; i++) answers.push(await attempt(i % 2 === 0 ? a : b, email, `wrong password ${i}`));
    return answers;
  }

  /** A sign-in from the client at `address`, as the proxy in front reports it. */
  const attemptFrom = (address: string, t: TestApp, email: string, password: string, tenant?: string) =>
    t.api().post('/auth/login').set('X-Forwarded-For', address).send({ email, password, tenant });

  /** `count` wrong passwords from the client at `address`, alternating between the instances. */
  async function failFrom(address: string, count: number, email: string, tenant?: string): Promise<Response[]> {
    const answers: Response[] = [];
    for (let i = 0; i < count; i++) answers.push(await attemptFrom(address, i % 2 === 0 ? a : b, email, `wrong password ${i}`, tenant));
    return answers;
  }

  /** Failures from fresh addresses (`198.51.100.<first>`, `<first + 1>`, …), one short of a lock each, until all clients together have made `count`. */
  async function failFromStrangers(count: number, email: string, first = 101, tenant?: string): Promise<Response[]> {
    const answers: Response[] = [];
    for (let address = first; answers.length < count; address++) {
      answers.push(...(await failFrom(`198.51.100.${address}`, Math.min(MAX_FAILURES - 1, count - answers.length), email, tenant)));
    }
    return answers;
  }

  const statuses = (answers: Response[]) => answers.map((response) => response.status);

  it('locks an account after five failures split over two instances, on both, even for the right password', async () => {
    const user = await registerUser(a);
    const failures = await failTimes(MAX_FAILURES, user.email);
    expect(failures.map((response) => response.status)).toEqual(Array(MAX_FAILURES).fill(401));
    for (const t of [a, b]) {
      const locked = await attempt(t, user.email, user.password);
      expect(locked.status).toBe(429);
      expect(locked.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.any(String), code: 'too_many_attempts' });
      const retryAfter = Number(locked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(LOCKOUT_SECONDS - 30);
      expect(retryAfter).toBeLessThanOrEqual(LOCKOUT_SECONDS);
    }
  });

  it('answers an unknown email exactly like a known one, before and after the lock', async () => {
    const known = await registerUser(a);
    const unknown = uniqueEmail('nobody');
    const knownAnswers = await failTimes(MAX_FAILURES + 1, known.email);
    const unknownAnswers = await failTimes(MAX_FAILURES + 1, unknown);
    expect(unknownAnswers.map(visible)).toEqual(knownAnswers.map(visible));
    expect(unknownAnswers.map((response) => response.status)).toEqual([...Array(MAX_FAILURES).fill(401), 429]);
  });

  it('counts the email in its canonical form (letter case does not open a new budget)', async () => {
    const user = await registerUser(a);
    for (let i = 0; i < MAX_FAILURES; i++) await attempt(a, i % 2 ? user.email.toUpperCase() : user.email, 'wrong password');
    expect((await attempt(b, user.email, user.password)).status).toBe(429);
  });

  it('evaluates at most five of 24 concurrent wrong guesses spread over two instances; the rest are refused, none fails', async () => {
    const user = await registerUser(a);
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => attempt(i % 2 === 0 ? a : b, user.email, `guess ${i}`)));
    const statuses = answers.map((response) => response.status);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(MAX_FAILURES);
    expect(statuses.filter((status) => status === 401).length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
    const [{ count }] = await a.sql<{ count: string }>(`SELECT count(*) FROM audit_events WHERE type = 'login.failed' AND subject_id = $1`, [user.id]);
    expect(Number(count)).toBe(statuses.filter((status) => status === 401).length);
    expect((await attempt(a, user.email, user.password)).status).toBe(429);
  });

  it('lifts the lock once LOGIN_LOCKOUT has passed, and a success starts the count afresh', async () => {
    const user = await registerUser(a);
    await failTimes(MAX_FAILURES, user.email);
    expect((await attempt(a, user.email, user.password)).status).toBe(429);
    await travel(user.email, LOCKOUT_SECONDS + 1);
    expect((await attempt(b, user.email, user.password)).status).toBe(200);
    await failTimes(MAX_FAILURES - 1, user.email);
    expect((await attempt(a, user.email, user.password)).status).toBe(200);
    await failTimes(MAX_FAILURES - 1, user.email);
    expect((await attempt(b, user.email, user.password)).status).toBe(200);
  });

  it('forgets failures older than LOGIN_LOCKOUT', async () => {
    const user = await registerUser(a);
    await failTimes(MAX_FAILURES - 1, user.email);
    await travel(user.email, LOCKOUT_SECONDS + 1);
    await failTimes(MAX_FAILURES - 1, user.email);
    expect((await attempt(a, user.email, user.password)).status).toBe(200);
  });

  it('counts within a sliding window: a burst at the edge of the first failures’ window gets no fresh budget', async () => {
    const user = await registerUser(a);
    await failTimes(MAX_FAILURES - 1, user.email);
    await travel(user.email, LOCKOUT_SECONDS - 5);
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(i % 2 ? a : b, user.email, `burst ${i}`)));
    expect(burst.filter((response) => response.status === 401)).toHaveLength(1);
    expect(burst.filter((response) => response.status === 429)).toHaveLength(11);
    expect((await attempt(a, user.email, user.password)).status).toBe(429);
  });

  it('settles a correct password refused for its scope: no failure counted, no check left hanging', async () => {
    const user = await registerUser(a);
    for (let i = 0; i < MAX_FAILURES + 2; i++) {
      const response = await a.api().post('/auth/token').type('form').send({ grant_type: 'password', username: user.email, password: user.password, scope: 'tenants:write' });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_scope');
    }
    expect((await attempt(b, user.email, user.password)).status).toBe(200);
  });

  it('keys an account by one canonical email, even one whose lower case is not composed (İ̖)', async () => {
    const email = `\u0130\u0316${randomUUID().slice(0, 6)}@example.com`;
    const user = await registerUser(a, { email });
    for (let round = 0; round < 3; round++) {
      await failTimes(MAX_FAILURES - 1, email);
      expect((await attempt(a, email, user.password)).status).toBe(200);
    }
    await failTimes(MAX_FAILURES, email);
    expect((await attempt(a, email, user.password)).status).toBe(429);
  });

  it('covers the password grant, in RFC 6749 form', async () => {
    const user = await registerUser(a);
    const grant = (t: TestApp, password: string) => t.api().post('/auth/token').type('form').send({ grant_type: 'password', username: user.email, password });
    for (let i = 0; i < MAX_FAILURES; i++) expect((await grant(i % 2 ? a : b, 'wrong password')).status).toBe(400);
    const locked = await grant(a, user.password);
    expect(locked.status).toBe(429);
    expect(locked.body).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await attempt(b, user.email, user.password)).status).toBe(429);
  });

  it('covers the current password of POST /auth/password', async () => {
    const user = await registerUser(a);
    const tokens = await login(a, user);
    const change = (t: TestApp, currentPassword: string) =>
      t.api().post('/auth/password').set('Authorization', `Bearer ${tokens.access_token}`).send({ currentPassword, newPassword: 'a brand new password' });
    for (let i = 0; i < MAX_FAILURES; i++) expect((await change(i % 2 ? a : b, 'wrong password')).status).toBe(403);
    const locked = await change(a, user.password);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('too_many_attempts');
    expect((await attempt(b, user.email, user.password)).status).toBe(429);
  });

  describe('per client address', () => {
    const A = '203.0.113.10';
    const B = '203.0.113.20';
    const C = '203.0.113.30';

    it('locks an account for the address its failures came from only: another address signs in with the right password', async () => {
      const user = await registerUser(a);
      expect(statuses(await failFrom(A, MAX_FAILURES, user.email))).toEqual(Array(MAX_FAILURES).fill(401));
      for (const t of [a, b]) {
        const locked = await attemptFrom(A, t, user.email, user.password);
        expect(locked.status).toBe(429);
        expect(locked.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.any(String), code: 'too_many_attempts' });
        expect(Number(locked.headers['retry-after'])).toBeGreaterThan(LOCKOUT_SECONDS - 30);
        expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(LOCKOUT_SECONDS);
      }
      expect((await attemptFrom(B, a, user.email, user.password)).status).toBe(200);
      expect((await attemptFrom(B, b, user.email, user.password)).status).toBe(200);
      expect((await attemptFrom(A, b, user.email, user.password)).status).toBe(429);
      const [{ count }] = await a.sql<{ count: string }>(`SELECT count(*) FROM audit_events WHERE type = 'login.locked' AND subject_id = $1 AND ip = $2`, [user.id, A]);
      expect(Number(count)).toBe(1);
    });

    it('past LOGIN_MAX_FAILURES_ACCOUNT failures from all addresses, locks out an address that never signed in, not one that did', async () => {
      const user = await registerUser(a);
      expect((await attemptFrom(B, a, user.email, user.password)).status).toBe(200);
      expect(statuses(await failFromStrangers(MAX_FAILURES_ACCOUNT, user.email))).toEqual(Array(MAX_FAILURES_ACCOUNT).fill(401));
      for (const t of [a, b]) {
        const locked = await attemptFrom(C, t, user.email, user.password);
        expect(locked.status).toBe(429);
        expect(locked.body.code).toBe('too_many_attempts');
        expect(Number(locked.headers['retry-after'])).toBeGreaterThan(LOCKOUT_SECONDS - 30);
        // A stranger that made fewer failures than its own limit is locked out all the same.
        expect((await attemptFrom('198.51.100.101', t, user.email, user.password)).status).toBe(429);
      }
      expect((await attemptFrom(B, a, user.email, user.password)).status).toBe(200);
      expect((await attemptFrom(B, b, user.email, user.password)).status).toBe(200);
      const locks = await a.sql<{ data: { lock: string } }>(`SELECT data FROM audit_events WHERE type = 'login.locked' AND subject_id = $1`, [user.id]);
      expect(locks.map((event) => event.data.lock)).toEqual(['account']);
    });

    it('counts a known address towards its own limit: it is locked out after its own failures', async () => {
      const user = await registerUser(a);
      expect((await attemptFrom(B, a, user.email, user.password)).status).toBe(200);
      await failFromStrangers(MAX_FAILURES_ACCOUNT, user.email);
      expect(statuses(await failFrom(B, MAX_FAILURES, user.email))).toEqual(Array(MAX_FAILURES).fill(401));
      expect((await attemptFrom(B, b, user.email, user.password)).status).toBe(429);
    });

    it('takes an address whose last sign-in is older than REFRESH_TOKEN_TTL for a stranger again', async () => {
      const user = await registerUser(a);
      expect((await attemptFrom(B, a, user.email, user.password)).status).toBe(200);
      await failFromStrangers(MAX_FAILURES_ACCOUNT, user.email);
      await a.sql(`UPDATE login_attempts SET signed_in_at = signed_in_at - make_interval(secs => $2) WHERE email = $1`, [user.email, REFRESH_TOKEN_TTL_SECONDS + 1]);
      expect((await attemptFrom(B, a, user.email, user.password)).status).toBe(429);
    });

    it('resets the count of the address that signs in, and only that one', async () => {
      const user = await registerUser(a);
      expect(statuses(await failFrom(A, MAX_FAILURES - 1, user.email))).toEqual(Array(MAX_FAILURES - 1).fill(401));
      expect(statuses(await failFrom(B, MAX_FAILURES - 1, user.email))).toEqual(Array(MAX_FAILURES - 1).fill(401));
      expect((await attemptFrom(A, b, user.email, user.password)).status).toBe(200);
      expect(statuses(await failFrom(A, MAX_FAILURES - 1, user.email))).toEqual(Array(MAX_FAILURES - 1).fill(401));
      expect((await attemptFrom(A, a, user.email, user.password)).status).toBe(200);
      expect(statuses(await failFrom(B, 2, user.email))).toEqual([401, 429]);
      expect((await attemptFrom(B, b, user.email, user.password)).status).toBe(429);
    });

    it('answers an unknown email exactly like a known one, address by address', async () => {
      const scenario = async (email: string): Promise<Response[]> => [
        ...(await failFrom(A, MAX_FAILURES + 1, email)),
        ...(await failFrom(B, 1, email)),
        ...(await failFromStrangers(MAX_FAILURES_ACCOUNT - MAX_FAILURES - 1, email)),
        ...(await failFrom(C, 1, email)),
        ...(await failFrom(B, 1, email)),
      ];
      const known = await scenario((await registerUser(a)).email);
      const unknown = await scenario(uniqueEmail('nobody'));
      expect(unknown.map(visible)).toEqual(known.map(visible));
      expect(statuses(unknown)).toEqual([...Array(MAX_FAILURES).fill(401), 429, ...Array(MAX_FAILURES_ACCOUNT - MAX_FAILURES).fill(401), 429, 429]);
    });

    it('counts the password grant and the current password of POST /auth/password by address too', async () => {
      const user = await registerUser(a);
      const grant = (address: string, t: TestApp, password: string) =>
        t.api().post('/auth/token').set('X-Forwarded-For', address).type('form').send({ grant_type: 'password', username: user.email, password });
      for (let i = 0; i < MAX_FAILURES; i++) expect((await grant(A, i % 2 ? a : b, 'wrong password')).status).toBe(400);
      expect((await grant(A, a, user.password)).status).toBe(429);
      const tokens = (await grant(B, b, user.password).expect(200)).body as { access_token: string };

      const change = (address: string, t: TestApp, currentPassword: string) =>
        t.api().post('/auth/password').set('X-Forwarded-For', address).set('Authorization', `Bearer ${tokens.access_token}`).send({ currentPassword, newPassword: 'a brand new password' });
      for (let i = 0; i < MAX_FAILURES; i++) expect((await change(C, i % 2 ? a : b, 'wrong password')).status).toBe(403);
      expect((await change(C, a, user.password)).status).toBe(429);
      expect((await attemptFrom(C, b, user.email, user.password)).status).toBe(429);
      expect((await change(B, b, user.password)).status).toBe(204);
    });

    it('evaluates at most five of 24 concurrent wrong guesses from one address, and the owner’s address still gets in', async () => {
      const user = await registerUser(a);
      const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => attemptFrom(A, i % 2 === 0 ? a : b, user.email, `guess ${i}`)));
      expect(statuses(answers).filter((status) => status !== 401 && status !== 429)).toEqual([]);
      expect(statuses(answers).filter((status) => status === 401).length).toBeLessThanOrEqual(MAX_FAILURES);
      expect(statuses(answers).filter((status) => status === 401).length).toBeGreaterThan(0);
      expect((await attemptFrom(A, a, user.email, user.password)).status).toBe(429);
      expect((await attemptFrom(B, b, user.email, user.password)).status).toBe(200);
    });

    it('evaluates at most LOGIN_MAX_FAILURES_ACCOUNT of concurrent wrong guesses from as many addresses', async () => {
      const user = await registerUser(a);
      const guesses = MAX_FAILURES_ACCOUNT + 10;
      const answers = await Promise.all(Array.from({ length: guesses }, (_, i) => attemptFrom(`198.51.100.${i + 1}`, i % 2 === 0 ? a : b, user.email, `guess ${i}`)));
      expect(statuses(answers).filter((status) => status !== 401 && status !== 429)).toEqual([]);
      expect(statuses(answers).filter((status) => status === 401).length).toBeLessThanOrEqual(MAX_FAILURES_ACCOUNT);
      expect((await attemptFrom(C, a, user.email, user.password)).status).toBe(429);
    });
  });

  describe('POST /tenants/:tenantId/users/:userId/unlock', () => {
    let tenant: Tenant;
    let admin: Awaited<ReturnType<typeof login>>;
    let member: Awaited<ReturnType<typeof createUser>>;

    beforeAll(async () => {
      tenant = await createTenant(a, await superadminTokens(a));
      admin = await login(a, { ...tenant.admin, tenant: tenant.slug });
      member = await createUser(a, admin, tenant, ['user']);
    });

    const unlock = (t: TestApp, tokens: { access_token: string }, tenantId: string, userId: string) =>
      t.api().post(`/tenants/${tenantId}/users/${userId}/unlock`).set('Authorization', `Bearer ${tokens.access_token}`);

    it('lets an admin lift a lock early, on every instance', async () => {
      for (let i = 0; i < MAX_FAILURES; i++) await attempt(i % 2 ? a : b, member.email, 'wrong password', tenant.slug);
      expect((await attempt(a, member.email, member.password, tenant.slug)).status).toBe(429);
      await unlock(b, admin, tenant.id, member.id).expect(204);
      expect((await attempt(a, member.email, member.password, tenant.slug)).status).toBe(200);
      const events = () => a.sql<{ actor_id: string }>(`SELECT actor_id FROM audit_events WHERE type = 'account.unlocked' AND subject_id = $1`, [member.id]);
      expect(await events()).toHaveLength(1);
      // An account that is not locked has nothing to lift: no change, no event.
      await attempt(a, member.email, 'wrong password', tenant.slug);
      await unlock(a, admin, tenant.id, member.id).expect(204);
      expect(await events()).toHaveLength(1);
    });

    it('lifts every lock of the account: each address’s and the one for addresses that never signed in', async () => {
      const A = '203.0.113.40';
      const C = '203.0.113.50';
      expect(statuses(await failFrom(A, MAX_FAILURES, member.email, tenant.slug))).toEqual(Array(MAX_FAILURES).fill(401));
      await failFromStrangers(MAX_FAILURES_ACCOUNT - MAX_FAILURES, member.email, 101, tenant.slug);
      expect((await attemptFrom(A, a, member.email, member.password, tenant.slug)).status).toBe(429);
      expect((await attemptFrom(C, b, member.email, member.password, tenant.slug)).status).toBe(429);
      await unlock(b, admin, tenant.id, member.id).expect(204);
      expect((await attemptFrom(C, a, member.email, member.password, tenant.slug)).status).toBe(200);
      expect((await attemptFrom(A, b, member.email, member.password, tenant.slug)).status).toBe(200);
      // Nothing of the failures before is left: a stranger has its whole budget again.
      expect(statuses(await failFrom('198.51.100.101', MAX_FAILURES, member.email, tenant.slug))).toEqual(Array(MAX_FAILURES).fill(401));
    });

    it('answers 404 for a user of another tenant and 403 for a tenant admin acting on the superadmin', async () => {
      const outsider = await registerUser(a);
      expect((await unlock(a, admin, tenant.id, outsider.id)).status).toBe(404);
      const [root] = await a.sql<{ id: string; tenant_id: string }>('SELECT id, tenant_id FROM users WHERE email = $1', [SUPERADMIN.email]);
      const defaultAdmin = await createUser(a, await superadminTokens(a), { id: root.tenant_id, slug: 'default', admin: SUPERADMIN }, ['admin']);
      const defaultAdminTokens = await login(a, defaultAdmin);
      const refused = await unlock(a, defaultAdminTokens, root.tenant_id, root.id);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('insufficient_role');
    });

    it('needs users:write', async () => {
      const narrowed = await login(a, { ...tenant.admin, tenant: tenant.slug, scope: 'users:read' });
      const refused = await unlock(a, narrowed, tenant.id, member.id);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('insufficient_scope');
    });
  });
});
