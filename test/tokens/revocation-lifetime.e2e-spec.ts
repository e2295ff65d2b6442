import { setTimeout as sleep } from 'node:timers/promises';
import { Housekeeping } from '../../src/ops/housekeeping/housekeeping.service.js';
import { login, registerUser } from '../support/factories.js';
import { claimsOf } from '../support/forge.js';
import { createTestDatabase, startTestApp, type TestApp } from '../support/test-app.js';

/** The leeway every expiry is given (CLOCK_TOLERANCE_SECONDS), plus a margin. */
const PAST_SHORT_LIFETIME_MS = (1 + 30 + 2) * 1000;

describe('A revocation lives until the last token it covers has expired, whatever the revoking instance’s TTL', () => {
  let short: TestApp;
  let long: TestApp;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    long = await startTestApp({ ACCESS_TOKEN_TTL: '15m' }, databaseUrl);
    short = await startTestApp({ ACCESS_TOKEN_TTL: '1s' }, databaseUrl);
  });
  afterAll(async () => {
    await short.close();
    await long.close();
  });

  it('keeps a token of the 15-minute instance, logged out through the 1-second one, refused past the short TTL and a cleanup run', async () => {
    const user = await registerUser(long);
    const tokens = await login(long, user);
    expect((claimsOf(tokens.access_token).exp as number) - (claimsOf(tokens.access_token).iat as number)).toBe(900);
    await short.api().post('/auth/logout').set('Authorization', `Bearer ${tokens.access_token}`).expect(204);
    const [{ expires_at: expiresAt }] = await long.sql<{ expires_at: Date }>(`SELECT expires_at FROM revocations WHERE kind = 'session' AND key = $1`, [claimsOf(tokens.access_token).sid]);
    expect(expiresAt.getTime() / 1000).toBeGreaterThanOrEqual((claimsOf(tokens.access_token).exp as number) + 30);

    await sleep(PAST_SHORT_LIFETIME_MS);
    await short.app.get(Housekeeping).purgeExpired();
    await long.app.get(Housekeeping).purgeExpired();
    const refused = await long.api().get('/users/me').set('Authorization', `Bearer ${tokens.access_token}`);
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 401, code: 'token_revoked' });
    // An instance started now reads the state from the database alone.
    const fresh = await startTestApp({ ACCESS_TOKEN_TTL: '1s' }, long.databaseUrl);
    try {
      const response = await fresh.api().get('/users/me').set('Authorization', `Bearer ${tokens.access_token}`);
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 401, code: 'token_revoked' });
    } finally {
      await fresh.close();
    }
  }, 60_000);
});
