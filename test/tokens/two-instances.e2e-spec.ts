import { login, registerUser } from '../support/factories.js';
import { headerOf } from '../support/forge.js';
import { createTestDatabase, SUPERADMIN, startTestApp, type TestApp } from '../support/test-app.js';
import { within } from '../support/polling.js';

describe('Two instances on one database', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    a = await startTestApp({}, databaseUrl);
    b = await startTestApp({}, databaseUrl);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('a logout on one instance is refused by the other within a second', async () => {
    const user = await registerUser(a);
    const tokens = await login(a, user);
    const other = await login(a, user);
    await b.api().get('/users/me').set('Authorization', `Bearer ${tokens.access_token}`).expect(200);

    // An instance answers 503 while its own state may be incomplete, so the logout waits for a to be back.
    await within(5000, async () => (await a.api().post('/auth/logout').set('Authorization', `Bearer ${tokens.access_token}`)).status === 204);
    await within(1000, async () => {
      const response = await b.api().get('/users/me').set('Authorization', `Bearer ${tokens.access_token}`);
      return response.status === 401 && response.body.code === 'token_revoked';
    });
    await b.api().get('/users/me').set('Authorization', `Bearer ${other.access_token}`).expect(200);
  });

  it('a token revoked on the second instance is refused by the first too', async () => {
    const user = await registerUser(a);
    const tokens = await login(b, user);
    await b.api().post('/auth/revoke').send({ token: tokens.access_token }).expect(200);
    await within(1000, async () => (await a.api().get('/users/me').set('Authorization', `Bearer ${tokens.access_token}`)).status === 401);
  });

  it('catches up after losing its notification connection: revocations made meanwhile are reloaded', async () => {
    const user = await registerUser(a);
    const tokens = await login(a, user);
    await b.api().get('/users/me').set('Authorization', `Bearer ${tokens.access_token}`).expect(200);
    // Cut every listening connection (both instances'), then revoke while they are deaf.
    await a.sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'portcullis-listener' AND datname = current_database()`);
    // An instance answers 503 while its own state may be incomplete, so the logout waits for a to be back.
    await within(5000, async () => (await a.api().post('/auth/logout').set('Authorization', `Bearer ${tokens.access_token}`)).status === 204);
    await within(5000, async () => (await b.api().get('/users/me').set('Authorization', `Bearer ${tokens.access_token}`)).status === 401);
    // And it listens again afterwards.
    const next = await login(a, user);
    await a.api().post('/auth/logout').set('Authorization', `Bearer ${next.access_token}`).expect(204);
    await within(1000, async () => (await b.api().get('/users/me').set('Authorization', `Bearer ${next.access_token}`)).status === 401);
  });

  it('serves /users/me from memory, yet shows a change made on the other instance, or by hand in SQL, within a second', async () => {
    const user = await registerUser(a);
    const tokens = await login(a, user);
    const nameOn = async (t: typeof a) => (await t.api().get('/users/me').set('Authorization', `Bearer ${tokens.access_token}`).expect(200)).body.name as string | null;
    expect(await nameOn(b)).toBeNull();
    await a.api().patch('/users/me').set('Authorization', `Bearer ${tokens.access_token}`).send({ name: 'Changed on a' }).expect(200);
    expect(await nameOn(a)).toBe('Changed on a');
    await within(1000, async () => (await nameOn(b)) === 'Changed on a');
    await a.sql('UPDATE users SET name = $1 WHERE id = $2', ['Changed by hand', user.id]);
    await within(1000, async () => (await nameOn(a)) === 'Changed by hand' && (await nameOn(b)) === 'Changed by hand');
  });

  it('a key rotated on one instance is used and published by the other within a second', async () => {
    const superadmin = await login(a, SUPERADMIN);
    const { body } = await a.api().post('/keys/rotate').set('Authorization', `Bearer ${superadmin.access_token}`).expect(201);
    await within(1000, async () => {
      const keys = (await b.api().get('/.well-known/jwks.json')).body.keys as Array<{ kid: string }>;
      return keys.some((key) => key.kid === body.kid);
    });
    const user = await registerUser(b);
    const tokens = await login(b, user);
    expect(headerOf(tokens.access_token).kid).toBe(body.kid);
    await a.api().get('/users/me').set('Authorization', `Bearer ${tokens.access_token}`).expect(200);
  });
});
