import { setTimeout as sleep } from 'node:timers/promises';
import { login, signedInUser } from '../support/factories.js';
import { headerOf } from '../support/forge.js';
import { createTestDatabase, SUPERADMIN, startTestApp, type TestApp } from '../support/test-app.js';
import { within } from '../support/polling.js';

describe('Signing keys withdrawn by hand in SQL, on two instances sharing a database', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    a = await startTestApp({}, databaseUrl);
    b = await startTestApp({}, databaseUrl);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const me = (t: TestApp, token: string) => t.api().get('/users/me').set('Authorization', `Bearer ${token}`);
  const publishedKids = async (t: TestApp) => ((await t.api().get('/.well-known/jwks.json').expect(200)).body.keys as Array<{ kid: string }>).map((key) => key.kid);
  const withdrawnOn = (t: TestApp, token: string, kid: string) => async () => {
    const response = await me(t, token);
    return response.status === 401 && response.body.code === 'token_invalid' && !(await publishedKids(t)).includes(kid);
  };

  /** A user's token signed by a key that has since been retired (another is current), verified and cached on both instances. */
  async function tokenOfRetiredKey(): Promise<{ token: string; kid: string }> {
    const user = await signedInUser(a);
    const token = user.tokens.access_token;
    const kid = headerOf(token).kid as string;
    const superadmin = await login(a, SUPERADMIN);
    await a.api().post('/keys/rotate').set('Authorization', `Bearer ${superadmin.access_token}`).expect(201);
    await within(1000, async () => (await publishedKids(b)).length > 1);
    for (const t of [a, b]) {
      await me(t, token).expect(200);
      await me(t, token).expect(200);
    }
    return { token, kid };
  }

  it('refuses the tokens of a key deleted with plain SQL (no NOTIFY) within 1 s on both instances, though verified and cached before, and drops it from both JWKS', async () => {
    const { token, kid } = await tokenOfRetiredKey();
    await a.sql('DELETE FROM signing_keys WHERE kid = $1', [kid]);
    await within(1000, async () => (await withdrawnOn(a, token, kid)()) && (await withdrawnOn(b, token, kid)()));
    // Tokens of the current key are untouched.
    const other = await signedInUser(b);
    await me(a, other.tokens.access_token).expect(200);
  });

  it('replaces the current key deleted with plain SQL: both instances sign with one new key and refuse the old one', async () => {
    const user = await signedInUser(a);
    const oldKid = headerOf(user.tokens.access_token).kid as string;
    await me(b, user.tokens.access_token).expect(200);
    await a.sql('DELETE FROM signing_keys WHERE kid = $1', [oldKid]);
    await within(1000, async () => (await withdrawnOn(a, user.tokens.access_token, oldKid)()) && (await withdrawnOn(b, user.tokens.access_token, oldKid)()));
    const [current] = await a.sql<{ kid: string }>('SELECT kid FROM signing_keys WHERE retired_at IS NULL');
    await within(1000, async () => (await publishedKids(a)).includes(current.kid) && (await publishedKids(b)).includes(current.kid));
    for (const t of [a, b]) {
      const tokens = await login(t, user);
      expect(headerOf(tokens.access_token).kid).toBe(current.kid);
      await me(a, tokens.access_token).expect(200);
      await me(b, tokens.access_token).expect(200);
    }
    expect(await a.sql('SELECT kid FROM signing_keys WHERE retired_at IS NULL')).toHaveLength(1);
  });

  it('retries a reload that failed: a key retired into the past while the table could not be read still goes on both instances', async () => {
    const { token, kid } = await tokenOfRetiredKey();
    // The change commits, and its notification goes out, while the table cannot be read: both reloads fail.
    await a.sql(`BEGIN; UPDATE signing_keys SET retired_at = now() - interval '1 day' WHERE kid = '${kid}'; ALTER TABLE signing_keys RENAME TO signing_keys_away; COMMIT`);
    await sleep(300);
    expect(await publishedKids(a)).toContain(kid);
    expect(await publishedKids(b)).toContain(kid);
    // The table is back; nothing notifies anyone of that.
    await a.sql('ALTER TABLE signing_keys_away RENAME TO signing_keys');
    await within(3000, async () => (await withdrawnOn(a, token, kid)()) && (await withdrawnOn(b, token, kid)()));
  });
});
