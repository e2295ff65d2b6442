import { login, registerUser } from '../support/factories.js';
import { claimsOf } from '../support/forge.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('Live sessions per user (MAX_SESSIONS_PER_USER)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ MAX_SESSIONS_PER_USER: '2' });
  });
  afterAll(() => t.close());

  it('ends the least recently used session when a sign-in goes over the limit, at once, and records it', async () => {
    const user = await registerUser(t);
    const first = await login(t, user);
    const second = await login(t, user);
    // The first session is used after the second opened: the second is now the least recently used.
    const refreshed = (await t.api().post('/auth/refresh').send({ refresh_token: first.refresh_token }).expect(200)).body as typeof first;
    const third = await login(t, user);

    const me = (token: string) => t.api().get('/users/me').set('Authorization', `Bearer ${token}`);
    expect((await me(second.access_token)).body).toMatchObject({ code: 'token_revoked' });
    expect((await t.api().post('/auth/refresh').send({ refresh_token: second.refresh_token })).body).toMatchObject({ code: 'refresh_token_invalid' });
    await me(refreshed.access_token).expect(200);
    await me(third.access_token).expect(200);

    const sessions = (await t.api().get('/users/me/sessions').set('Authorization', `Bearer ${third.access_token}`).expect(200)).body as { items: Array<{ id: string }> };
    expect(sessions.items.map((session) => session.id).sort()).toEqual([claimsOf(refreshed.access_token).sid, claimsOf(third.access_token).sid].sort());
    const [event] = await t.sql<{ data: { reason: string; sessionIds: string[] } }>(`SELECT data FROM audit_events WHERE type = 'session.revoked' AND subject_id = $1`, [claimsOf(third.access_token).sub]);
    expect(event.data).toMatchObject({ reason: 'session_limit', sessionIds: [claimsOf(second.access_token).sid] });
  });

  it('keeps every session of a user within the limit', async () => {
    const user = await registerUser(t);
    const first = await login(t, user);
    const second = await login(t, user);
    for (const tokens of [first, second]) await t.api().get('/users/me').set('Authorization', `Bearer ${tokens.access_token}`).expect(200);
  });
});
