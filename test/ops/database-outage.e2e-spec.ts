import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Response } from 'supertest';
import { login, signedInUser, type TokenPair, uniqueEmail } from '../support/factories.js';
import { type OwnPostgres, startOwnPostgres } from '../support/own-postgres.js';
import { SUPERADMIN, startTestApp, type TestApp } from '../support/test-app.js';

/** The contract's bound for answering 503 once the database is gone; no answer meanwhile takes longer either. */
const OUTAGE_NOTICED_MS = 5_000;
/** The contract's bound for everything to work again once it is back. */
const RECOVERY_MS = 20_000;
/** Callers sending requests while the server goes down, each with an account of its own. */
const LOAD_CALLERS = 4;

type Caller = Awaited<ReturnType<typeof signedInUser>>;

interface Observation {
  name: string;
  status: number;
  code: unknown;
  retryAfter: string | undefined;
  ms: number;
}

describe('A database outage under the running service (its own PostgreSQL, stopped and started again)', () => {
  let db: OwnPostgres;
  let t: TestApp;
  let user: Caller;
  let loadCallers: Caller[];
  let superadmin: TokenPair;
  const unexpectedErrors: string[] = [];

  beforeAll(async () => {
    db = await startOwnPostgres();
    // What the service logs at error level: the cause of any 500, shown when the suite fails.
    t = await startTestApp({ LOG_LEVEL: 'error' }, await db.databaseUrl('portcullis_outage'), {
      write: (line: string) => {
        const entry = JSON.parse(line) as { context?: string; msg?: string };
        if (entry.context === 'HttpErrorFilter') unexpectedErrors.push(entry.msg ?? line);
      },
    });
    user = await signedInUser(t);
    loadCallers = await Promise.all(Array.from({ length: LOAD_CALLERS }, () => signedInUser(t)));
    superadmin = await login(t, SUPERADMIN);
  });
  afterAll(async () => {
    await t?.close();
    await db?.destroy();
  });

  const bearer = (tokens: TokenPair) => `Bearer ${tokens.access_token}`;

  /**
   * Every route here needs the database. Run one after the other for a caller: two sign-ins of
   * one account at once are not what this suite is about. A refresh that succeeds keeps the pair.
   */
  async function databaseRoutes(caller: Caller): Promise<Observation[]> {
    const probes: [string, () => Promise<Response>][] = [
      ['POST /auth/register', () => t.api().post('/auth/register').send({ email: uniqueEmail(), password: `pw-${randomUUID()}` })],
      ['POST /auth/login', () => t.api().post('/auth/login').send({ email: caller.email, password: caller.password })],
      [
        'POST /auth/refresh',
        async () => {
          const response = await t.api().post('/auth/refresh').send({ refresh_token: caller.tokens.refresh_token });
          if (response.status === 200) caller.tokens = response.body as TokenPair;
          return response;
        },
      ],
      ['POST /auth/token (password grant)', () => t.api().post('/auth/token').type('form').send({ grant_type: 'password', username: caller.email, password: caller.password })],
      ['GET /users/me', () => t.api().get('/users/me').set('Authorization', bearer(caller.tokens))],
      ['GET /users/me/sessions', () => t.api().get('/users/me/sessions').set('Authorization', bearer(caller.tokens))],
      ['GET /tenants/:tenantId/users', () => t.api().get(`/tenants/${caller.tenantId}/users`).set('Authorization', bearer(superadmin))],
      ['GET /tenants', () => t.api().get('/tenants').set('Authorization', bearer(superadmin))],
    ];
    const observations: Observation[] = [];
    for (const [name, send] of probes) {
      const started = Date.now();
      const response = await send();
      // The token endpoint speaks RFC 6749: its 503 is `temporarily_unavailable`.
      observations.push({ name, status: response.status, code: response.body?.code ?? response.body?.error, retryAfter: response.headers['retry-after'], ms: Date.now() - started });
    }
    return observations;
  }

  const isContract503 = (o: Observation) =>
    o.status === 503 && o.code === (o.name.startsWith('POST /auth/token') ? 'temporarily_unavailable' : 'service_unavailable') && Number(o.retryAfter) > 0;
  const notContract503 = (observations: Observation[]) => observations.filter((o) => !isContract503(o));
  const serverErrors = (observations: Observation[]) => observations.filter((o) => o.status >= 500 && o.status !== 503);

  it('answers 503 service_unavailable with Retry-After within 5 s, never a 500 nor a hang, keeps the JWKS up, and recovers within 20 s without a restart', async () => {
    expect((await databaseRoutes(user)).filter((o) => o.status >= 300)).toEqual([]);

    // Requests keep arriving while the server goes down, so some are cut mid-query or mid-transaction.
    const seen: Observation[] = [];
    let loadRunning = true;
    const load = loadCallers.map(async (caller) => {
      while (loadRunning) seen.push(...(await databaseRoutes(caller)));
    });
    await sleep(200);
    await db.stop();
    const stoppedAt = Date.now();

    // Until every route answers the contract's 503 in one round.
    let round: Observation[] = [];
    while (Date.now() - stoppedAt <= OUTAGE_NOTICED_MS) {
      round = await databaseRoutes(user);
      seen.push(...round);
      if (notContract503(round).length === 0) break;
      await sleep(100);
    }
    const noticedMs = Date.now() - stoppedAt;
    loadRunning = false;
    await Promise.all(load);
    expect({ serverErrors: serverErrors(seen), unexpectedErrors }).toEqual({ serverErrors: [], unexpectedErrors: [] });
    expect(seen.filter((o) => o.ms > OUTAGE_NOTICED_MS)).toEqual([]);
    expect(notContract503(round)).toEqual([]);
    expect(noticedMs).toBeLessThanOrEqual(OUTAGE_NOTICED_MS);

    // While it is down: the same answers (the OAuth endpoint's included), /health says so, and
    // what needs no database still works.
    expect(notContract503(await databaseRoutes(user))).toEqual([]);
    const health = await t.api().get('/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ code: 'service_unavailable', message: expect.stringMatching(/database/) });
    expect(Number(health.headers['retry-after'])).toBeGreaterThan(0);
    const jwks = await t.api().get('/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys.length).toBeGreaterThan(0);

    await db.start();
    const startedAt = Date.now();
    let recovered: Record<string, number> = {};
    while (Date.now() - startedAt <= RECOVERY_MS) {
      const signIn = await t.api().post('/auth/login').send({ email: user.email, password: user.password });
      const refresh = await t.api().post('/auth/refresh').send({ refresh_token: user.tokens.refresh_token });
      if (refresh.status === 200) user.tokens = refresh.body as TokenPair;
      const me = await t.api().get('/users/me').set('Authorization', bearer(user.tokens));
      const up = await t.api().get('/health');
      recovered = { signIn: signIn.status, refresh: refresh.status, me: me.status, health: up.status };
      expect(Object.values(recovered).filter((status) => status >= 500 && status !== 503)).toEqual([]);
      if (Object.values(recovered).every((status) => status === 200)) break;
      await sleep(250);
    }
    expect(recovered).toEqual({ signIn: 200, refresh: 200, me: 200, health: 200 });
    expect(Date.now() - startedAt).toBeLessThanOrEqual(RECOVERY_MS);
    // And every route answers as it did before the outage.
    expect((await databaseRoutes(user)).filter((o) => o.status >= 300)).toEqual([]);
  }, 60_000);
});
