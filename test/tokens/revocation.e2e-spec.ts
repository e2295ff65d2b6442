import { login, registerUser, signedInUser, type TokenPair } from '../support/factories.js';
import { claimsOf } from '../support/forge.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('Revocation takes effect at once', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const bearer = (tokens: TokenPair) => `Bearer ${tokens.access_token}`;
  const me = (tokens: TokenPair) => t.api().get('/users/me').set('Authorization', bearer(tokens));
  async function expectRevoked(tokens: TokenPair): Promise<void> {
    const response = await me(tokens);
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('token_revoked');
    expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/);
  }

  async function userWithSessions(count: number) {
    const user = await registerUser(t);
    const sessions: TokenPair[] = [];
    for (let i = 0; i < count; i++) sessions.push(await login(t, user));
    return { user, sessions };
  }

  it('logout ends the current session only', async () => {
    const { sessions: [current, other] } = await userWithSessions(2);
    await t.api().post('/auth/logout').set('Authorization', bearer(current)).expect(204);
    await expectRevoked(current);
    await me(other).expect(200);
  });

  it('logout-all ends every session of the user, and nobody else’s', async () => {
    const { sessions } = await userWithSessions(3);
    const stranger = await signedInUser(t);
    await t.api().post('/auth/logout-all').set('Authorization', bearer(sessions[0])).expect(204);
    for (const tokens of sessions) await expectRevoked(tokens);
    await me(stranger.tokens).expect(200);
  });

  it('a password change ends every other session and keeps the current one', async () => {
    const { user, sessions: [current, other] } = await userWithSessions(2);
    await t.api().post('/auth/password').set('Authorization', bearer(current)).send({ currentPassword: user.password, newPassword: 'a brand new password' }).expect(204);
    await expectRevoked(other);
    await me(current).expect(200);
    await t.api().post('/auth/login').send({ email: user.email, password: user.password }).expect(401);
    await login(t, { email: user.email, password: 'a brand new password' });
  });

  it('a password change with the wrong current password changes nothing', async () => {
    const { user, sessions: [current, other] } = await userWithSessions(2);
    const response = await t.api().post('/auth/password').set('Authorization', bearer(current)).send({ currentPassword: 'wrong password', newPassword: 'a brand new password' });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('invalid_credentials');
    await me(other).expect(200);
    await login(t, user);
  });

  it('refuses a new password outside 8..128 characters', async () => {
    const user = await signedInUser(t);
    for (const newPassword of ['short', 'x'.repeat(129)]) {
      const response = await t.api().post('/auth/password').set('Authorization', bearer(user.tokens)).send({ currentPassword: user.password, newPassword });
      expect(response.status).toBe(400);
    }
  });

  describe('/users/me/sessions', () => {
    it('lists the open sessions, marking the caller’s own', async () => {
      const { user, sessions } = await userWithSessions(2);
      const withAgent = await t.api().post('/auth/login').set('User-Agent', 'jest-agent/1.0').send({ email: user.email, password: user.password });
      sessions.unshift(withAgent.body as TokenPair);
      await t.api().post('/auth/logout').set('Authorization', bearer(sessions[2])).expect(204);
      const response = await t.api().get('/users/me/sessions').set('Authorization', bearer(sessions[0]));
      expect(response.status).toBe(200);
      expect(response.body.total).toBe(2);
      expect(response.body.items).toHaveLength(2);
      expect(response.body.items.map((item: { id: string }) => item.id).sort()).toEqual(
        [claimsOf(sessions[0].access_token).sid, claimsOf(sessions[1].access_token).sid].sort(),
      );
      const own = response.body.items.find((item: { current: boolean }) => item.current);
      expect(own).toEqual({
        id: claimsOf(sessions[0].access_token).sid,
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
        userAgent: 'jest-agent/1.0',
        ip: expect.stringMatching(/127\.0\.0\.1/),
        current: true,
      });
    });

    it('pages with limit and offset, and refuses a limit over 100', async () => {
      const { sessions } = await userWithSessions(3);
      const page = await t.api().get('/users/me/sessions?limit=2&offset=2').set('Authorization', bearer(sessions[0]));
      expect(page.body).toMatchObject({ total: 3, items: [expect.any(Object)] });
      await t.api().get('/users/me/sessions?limit=101').set('Authorization', bearer(sessions[0])).expect(400);
    });

    it('deletes one session: its tokens stop at once, the others go on', async () => {
      const { sessions: [current, other] } = await userWithSessions(2);
      await t.api().delete(`/users/me/sessions/${String(claimsOf(other.access_token).sid)}`).set('Authorization', bearer(current)).expect(204);
      await expectRevoked(other);
      await me(current).expect(200);
      await t.api().post('/auth/refresh').send({ refresh_token: other.refresh_token }).expect(401);
    });

    it('answers 404 for another user’s session, an unknown one, or a malformed id, and ends nothing', async () => {
      const mine = await signedInUser(t);
      const theirs = await signedInUser(t);
      for (const id of [claimsOf(theirs.tokens.access_token).sid, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
        const response = await t.api().delete(`/users/me/sessions/${String(id)}`).set('Authorization', bearer(mine.tokens));
        expect(response.status).toBe(404);
        expect(response.body.code).toBe('not_found');
      }
      await me(theirs.tokens).expect(200);
    });
  });

  describe('POST /auth/revoke (RFC 7009)', () => {
    it('revokes a refresh token: its session and every access token of it', async () => {
      const { sessions: [target, other] } = await userWithSessions(2);
      const response = await t.api().post('/auth/revoke').type('form').send({ token: target.refresh_token, token_type_hint: 'refresh_token' });
      expect(response.status).toBe(200);
      await expectRevoked(target);
      await t.api().post('/auth/refresh').send({ refresh_token: target.refresh_token }).expect(401);
      await me(other).expect(200);
    });

    it('revokes an access token alone; its session can still be refreshed', async () => {
      const { tokens } = await signedInUser(t);
      await t.api().post('/auth/revoke').send({ token: tokens.access_token }).expect(200);
      await expectRevoked(tokens);
      const refreshed = await t.api().post('/auth/refresh').send({ refresh_token: tokens.refresh_token }).expect(200);
      await t.api().get('/users/me').set('Authorization', `Bearer ${refreshed.body.access_token}`).expect(200);
    });

    it('works without a hint, for either kind', async () => {
      const { tokens } = await signedInUser(t);
      await t.api().post('/auth/revoke').send({ token: tokens.refresh_token }).expect(200);
      await expectRevoked(tokens);
    });

    it('answers 200 for unknown or invalid tokens', async () => {
      for (const token of ['unknown', 'a.b.c', 'x'.repeat(300)]) {
        await t.api().post('/auth/revoke').type('form').send({ token }).expect(200);
      }
    });

    it('answers a request without a token in RFC 6749 form', async () => {
      const response = await t.api().post('/auth/revoke').type('form').send({});
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
    });
  });

  it('keeps revocations across a restart (they are stored, not only in memory)', async () => {
    const first = await startTestApp();
    const user = await signedInUser(first);
    await first.api().post('/auth/logout').set('Authorization', bearer(user.tokens)).expect(204);
    await first.close();
    const second = await startTestApp({}, first.databaseUrl);
    try {
      const response = await second.api().get('/users/me').set('Authorization', bearer(user.tokens));
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('token_revoked');
    } finally {
      await second.close();
    }
  });
});
