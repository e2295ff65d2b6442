import { setTimeout as sleep } from 'node:timers/promises';
import { login, registerUser, signedInUser, type TokenPair } from '../support/factories.js';
import { claimsOf } from '../support/forge.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('Refresh tokens: rotation and reuse detection', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ REFRESH_REUSE_GRACE: '1s' });
  });
  afterAll(() => t.close());

  const refresh = (refreshToken: string) => t.api().post('/auth/refresh').send({ refresh_token: refreshToken });
  const me = (accessToken: string) => t.api().get('/users/me').set('Authorization', `Bearer ${accessToken}`);
  const childrenOf = async (sessionId: string): Promise<number> =>
    (await t.sql('SELECT id FROM refresh_tokens WHERE session_id = $1', [sessionId])).length;

  it('rotates: a new refresh token and a new access token of the same session', async () => {
    const { tokens } = await signedInUser(t);
    const response = await refresh(tokens.refresh_token!);
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const next = response.body as TokenPair;
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect(next.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(claimsOf(next.access_token).sid).toBe(claimsOf(tokens.access_token).sid);
    expect(claimsOf(next.access_token).jti).not.toBe(claimsOf(tokens.access_token).jti);
    await me(next.access_token).expect(200);
    // Rotation leaves the old access token alone: it is still within its lifetime and session.
    await me(tokens.access_token).expect(200);
  });

  it('stores refresh tokens only as hashes', async () => {
    const { tokens } = await signedInUser(t);
    const rows = await t.sql<{ token_hash: Buffer }>('SELECT token_hash FROM refresh_tokens');
    const dump = rows.map((row) => row.token_hash.toString('hex') + row.token_hash.toString('base64url')).join();
    expect(dump).not.toContain(tokens.refresh_token);
    expect(rows.every((row) => row.token_hash.length === 32)).toBe(true);
  });

  it('answers a just-rotated token within the grace window with the current pair, creating nothing', async () => {
    const { tokens } = await signedInUser(t);
    const sid = claimsOf(tokens.access_token).sid as string;
    const first = (await refresh(tokens.refresh_token!).expect(200)).body as TokenPair;
    const again = await refresh(tokens.refresh_token!);
    expect(again.status).toBe(200);
    expect(again.body.refresh_token).toBe(first.refresh_token);
    await me(again.body.access_token).expect(200);
    expect(await childrenOf(sid)).toBe(2);
    // The current token still rotates normally afterwards.
    const next = (await refresh(first.refresh_token!).expect(200)).body as TokenPair;
    expect(next.refresh_token).not.toBe(first.refresh_token);
    // And the first token, still within its window, now leads to the newest one.
    expect((await refresh(tokens.refresh_token!).expect(200)).body.refresh_token).toBe(next.refresh_token);
  });

  it('treats a rotated token after the grace window as reuse and revokes the whole session', async () => {
    const { tokens } = await signedInUser(t);
    const rotated = (await refresh(tokens.refresh_token!).expect(200)).body as TokenPair;
    await sleep(1300);
    const reuse = await refresh(tokens.refresh_token!);
    expect(reuse.status).toBe(401);
    expect(reuse.body).toMatchObject({ statusCode: 401, code: 'refresh_token_reused' });
    // The session's newest refresh token and every access token of it are dead.
    const newest = await refresh(rotated.refresh_token!);
    expect(newest.status).toBe(401);
    expect(newest.body.code).toBe('refresh_token_invalid');
    for (const accessToken of [tokens.access_token, rotated.access_token]) {
      const response = await me(accessToken);
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('token_revoked');
    }
    const [session] = await t.sql<{ revoked_reason: string }>('SELECT revoked_reason FROM sessions WHERE id = $1', [claimsOf(tokens.access_token).sid]);
    expect(session.revoked_reason).toBe('refresh_token_reused');
  });

  it('leaves the user’s other sessions alone when one session is revoked for reuse', async () => {
    const user = await registerUser(t);
    const victim = await login(t, user);
    const other = await login(t, user);
    await refresh(victim.refresh_token!).expect(200);
    await sleep(1300);
    await refresh(victim.refresh_token!).expect(401);
    await me(other.access_token).expect(200);
    await refresh(other.refresh_token!).expect(200);
  });

  it('survives 20 concurrent refreshes of one token: no 5xx, exactly one child', async () => {
    // The 20 queue on the session's lock; on a loaded machine the last can come more than this
    // suite's 1 s grace after the first, so an instance with a roomier grace answers them.
    const roomy = await startTestApp({ REFRESH_REUSE_GRACE: '60s' }, t.databaseUrl);
    try {
      const { tokens } = await signedInUser(roomy);
      const sid = claimsOf(tokens.access_token).sid as string;
      const responses = await Promise.all(Array.from({ length: 20 }, () => roomy.api().post('/auth/refresh').send({ refresh_token: tokens.refresh_token })));
      expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
      expect(new Set(responses.map((response) => response.body.refresh_token)).size).toBe(1);
      expect(await childrenOf(sid)).toBe(2);
      const events = await roomy.sql(`SELECT 1 FROM audit_events WHERE type = 'token.refreshed' AND data->>'sessionId' = $1`, [sid]);
      expect(events).toHaveLength(1);
    } finally {
      await roomy.close();
    }
  });

  it.each([
    ['an unknown token', 'A'.repeat(43)],
    ['an empty token', ''],
  ])('refuses %s with refresh_token_invalid or validation_failed', async (_name, value) => {
    const response = await refresh(value);
    expect([400, 401]).toContain(response.status);
    expect(['refresh_token_invalid', 'validation_failed']).toContain(response.body.code);
  });

  it.each([
    ['an access token', (tokens: TokenPair) => tokens.access_token],
    ['an empty string', () => ''],
    ['60 KB of text', () => 'x'.repeat(60_000)],
    ['text with a NUL byte and non-ASCII', () => 'r\u0000ẞ☃'],
    ['a refresh token with one character changed', (tokens: TokenPair) => `${tokens.refresh_token!.slice(0, -1)}${tokens.refresh_token!.endsWith('A') ? 'B' : 'A'}`],
  ])('answers %s with 401 refresh_token_invalid, never a 400, on both endpoints', async (_name, presented) => {
    const { tokens } = await signedInUser(t);
    const response = await refresh(presented(tokens));
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ statusCode: 401, code: 'refresh_token_invalid' });
    const grant = await t.api().post('/auth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: presented(tokens) });
    expect(grant.status).toBe(400);
    expect(grant.body).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
  });

  it('refuses a refresh token of a logged-out session', async () => {
    const { tokens } = await signedInUser(t);
    await t.api().post('/auth/logout').set('Authorization', `Bearer ${tokens.access_token}`).expect(204);
    const response = await refresh(tokens.refresh_token!);
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('refresh_token_invalid');
  });

  it('refreshes through the token endpoint too, answering errors in RFC 6749 form', async () => {
    const { tokens } = await signedInUser(t);
    const response = await t.api().post('/auth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(response.status).toBe(200);
    expect(response.body.refresh_token).not.toBe(tokens.refresh_token);
    const bad = await t.api().post('/auth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
  });

  it('keeps the scopes of the sign-in: a refresh never widens them', async () => {
    const user = await registerUser(t);
    const narrow = await login(t, { ...user, scope: 'profile' });
    const refreshed = (await refresh(narrow.refresh_token!).expect(200)).body as TokenPair;
    expect(refreshed.scope).toBe('profile');
  });

  it('refuses to refresh in a tenant disabled since, and ends the session', async () => {
    const user = await signedInUser(t);
    const sid = claimsOf(user.tokens.access_token).sid as string;
    const [{ tenant_id: tenantId }] = await t.sql<{ tenant_id: string }>('SELECT tenant_id FROM users WHERE id = $1', [user.id]);
    try {
      // The user's tenant is switched off behind the service's back (no session revoked with it).
      await t.sql('UPDATE tenants SET active = false WHERE id = $1', [tenantId]);
      const response = await refresh(user.tokens.refresh_token!);
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('refresh_token_invalid');
    } finally {
      await t.sql('UPDATE tenants SET active = true WHERE id = $1', [tenantId]);
    }
    expect(await t.sql('SELECT revoked_reason FROM sessions WHERE id = $1', [sid])).toEqual([{ revoked_reason: 'user_disabled' }]);
    expect((await refresh(user.tokens.refresh_token!)).status).toBe(401);
  });

  it('issues the access token with the roles the user holds now, and their scopes only', async () => {
    const user = await registerUser(t);
    const tokens = await login(t, user);
    const [{ id }] = await t.sql<{ id: string }>('SELECT id FROM users WHERE email = $1', [user.email]);
    expect(claimsOf(tokens.access_token).roles).toEqual(['user']);
    await t.sql(`UPDATE users SET roles = '{user,admin}' WHERE id = $1`, [id]);
    const promoted = (await refresh(tokens.refresh_token!).expect(200)).body as TokenPair;
    expect(claimsOf(promoted.access_token).roles).toEqual(['user', 'admin']);
    expect(promoted.scope).toBe(tokens.scope); // never wider than at sign-in
    await t.sql(`UPDATE users SET roles = '{}' WHERE id = $1`, [id]);
    const demoted = (await refresh(promoted.refresh_token!).expect(200)).body as TokenPair;
    expect(claimsOf(demoted.access_token).roles).toEqual([]);
    expect(demoted.scope ?? '').toBe('');
  });

  it('refuses to refresh for a user disabled since', async () => {
    const user = await signedInUser(t);
    await t.sql('UPDATE users SET active = false WHERE id = $1', [user.id]);
    const response = await refresh(user.tokens.refresh_token!);
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('refresh_token_invalid');
  });
});
