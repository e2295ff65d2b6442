import { login, signedInUser, type TokenPair } from '../support/factories.js';
import { headerOf } from '../support/forge.js';
import { verifyWithJwks } from '../support/jwks-verification.js';
import { SIGNING_KEYS_CHANNEL } from '../../src/tokens/signing-keys.service.js';
import { SUPERADMIN, startTestApp, type TestApp } from '../support/test-app.js';

describe('POST /keys/rotate', () => {
  let t: TestApp;
  let superadmin: TokenPair;

  beforeAll(async () => {
    t = await startTestApp();
    superadmin = await login(t, SUPERADMIN);
  });
  afterAll(() => t.close());

  const rotate = (tokens: TokenPair) => t.api().post('/keys/rotate').set('Authorization', `Bearer ${tokens.access_token}`);
  const jwks = async () => (await t.api().get('/.well-known/jwks.json').expect(200)).body as { keys: Array<{ kid: string }> };

  it('makes a new key current while tokens of the old one keep verifying, here and through the JWKS', async () => {
    const before = await signedInUser(t);
    const oldKid = headerOf(before.tokens.access_token).kid;
    const response = await rotate(superadmin);
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ kid: expect.any(String) });
    expect(response.body.kid).not.toBe(oldKid);

    const after = await signedInUser(t);
    expect(headerOf(after.tokens.access_token).kid).toBe(response.body.kid);
    const set = await jwks();
    expect(set.keys.map((key) => key.kid).sort()).toEqual([oldKid, response.body.kid].sort());
    for (const token of [before.tokens.access_token, after.tokens.access_token]) {
      await t.api().get('/users/me').set('Authorization', `Bearer ${token}`).expect(200);
      expect(verifyWithJwks(token, set, { issuer: t.config.jwt.issuer, algorithms: ['ES256'] })).toMatchObject({ scope: 'profile' });
    }
  });

  it('drops the old key once every token it signed has expired', async () => {
    const before = await signedInUser(t);
    const oldKid = headerOf(before.tokens.access_token).kid as string;
    await rotate(superadmin).expect(201);
    // Let the retirement lie further back than the longest token lifetime, then start an instance that reads it.
    await t.sql(`UPDATE signing_keys SET retired_at = now() - interval '1 hour' WHERE kid = $1`, [oldKid]);
    const later = await startTestApp({}, t.databaseUrl);
    try {
      const keys = (await later.api().get('/.well-known/jwks.json').expect(200)).body.keys as Array<{ kid: string }>;
      expect(keys.map((key) => key.kid)).not.toContain(oldKid);
      const response = await later.api().get('/users/me').set('Authorization', `Bearer ${before.tokens.access_token}`);
      expect(response.status).toBe(401);
    } finally {
      await later.close();
    }
  });

  it('refuses at once the tokens of a key withdrawn from the database, though they were accepted (and cached) before', async () => {
    const before = await signedInUser(t);
    const oldKid = headerOf(before.tokens.access_token).kid as string;
    await t.api().get('/users/me').set('Authorization', `Bearer ${before.tokens.access_token}`).expect(200);
    await rotate(superadmin).expect(201);
    // An operator deletes the old key (compromised, say) and tells every instance.
    await t.sql('DELETE FROM signing_keys WHERE kid = $1', [oldKid]);
    await t.sql(`SELECT pg_notify('${SIGNING_KEYS_CHANNEL}', $1)`, [oldKid]);
    const giveUpAt = Date.now() + 5000;
    while ((await jwks()).keys.some((key) => key.kid === oldKid)) {
      if (Date.now() > giveUpAt) throw new Error('the instance did not reload its keys');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const response = await t.api().get('/users/me').set('Authorization', `Bearer ${before.tokens.access_token}`);
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('token_invalid');
  });

  it('is for a superadmin holding tenants:write only', async () => {
    const user = await signedInUser(t);
    const asUser = await rotate(user.tokens);
    expect(asUser.status).toBe(403);
    expect(asUser.body.code).toBe('insufficient_role');
    const narrow = await login(t, { ...SUPERADMIN, scope: 'profile tenants:read' });
    const withoutScope = await rotate(narrow);
    expect(withoutScope.status).toBe(403);
    expect(withoutScope.body.code).toBe('insufficient_scope');
    expect(withoutScope.headers['www-authenticate']).toBe('Bearer realm="portcullis", error="insufficient_scope", scope="tenants:write"');
    await t.api().post('/keys/rotate').expect(401);
  });
});

describe('POST /keys/rotate under HS256', () => {
  it('answers 409: the key is JWT_SECRET', async () => {
    const t = await startTestApp({ JWT_ALG: 'HS256', JWT_SECRET: 'another-test-secret-of-32-bytes-or-more!' });
    try {
      const superadmin = await login(t, SUPERADMIN);
      const response = await t.api().post('/keys/rotate').set('Authorization', `Bearer ${superadmin.access_token}`);
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('conflict');
    } finally {
      await t.close();
    }
  });
});
