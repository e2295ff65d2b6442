import { Housekeeping } from '../../src/ops/housekeeping/housekeeping.service.js';
import { signedInUser } from '../support/factories.js';
import { claimsOf } from '../support/forge.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('Scheduled cleanup of token tables', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ REFRESH_REUSE_GRACE: '1s' });
  });
  afterAll(() => t.close());

  it('removes what can no longer matter and keeps what can', async () => {
    const live = await signedInUser(t);
    const expired = await signedInUser(t);
    const longRevoked = await signedInUser(t);
    const sid = (tokens: { access_token: string }) => claimsOf(tokens.access_token).sid as string;
    await t.api().post('/auth/refresh').send({ refresh_token: live.tokens.refresh_token }).expect(200);
    await t.sql(`UPDATE refresh_tokens SET rotated_at = now() - interval '1 minute' WHERE session_id = $1 AND rotated_at IS NOT NULL`, [sid(live.tokens)]);
    await t.sql(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [sid(expired.tokens)]);
    await t.sql(`UPDATE sessions SET revoked_at = now() - interval '8 days' WHERE id = $1`, [sid(longRevoked.tokens)]);
    await t.sql(`INSERT INTO revocations (kind, key, expires_at) VALUES ('token', 'gone', now() - interval '1 second'), ('token', 'kept', now() + interval '1 hour')`);

    const report = await t.app.get(Housekeeping).purgeExpired();

    expect(report).toMatchObject({ sessions: 2, seals: 1, revocations: 1, signingKeys: 0 });
    const sessions = await t.sql<{ id: string }>('SELECT id FROM sessions');
    expect(sessions.map((row) => row.id)).toContain(sid(live.tokens));
    expect(sessions.map((row) => row.id)).not.toContain(sid(expired.tokens));
    expect(await t.sql('SELECT 1 FROM refresh_tokens WHERE session_id = $1', [sid(expired.tokens)])).toHaveLength(0);
    expect(await t.sql(`SELECT key FROM revocations WHERE kind = 'token'`)).toEqual([{ key: 'kept' }]);
    // The live session still refreshes; its rotated token is still known (reuse detection needs it).
    const rotated = await t.sql('SELECT 1 FROM refresh_tokens WHERE session_id = $1', [sid(live.tokens)]);
    expect(rotated).toHaveLength(2);
  });
});
