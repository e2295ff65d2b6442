import { createSecretKey } from 'node:crypto';
import { signedInUser } from '../support/factories.js';
import { claimsOf, headerOf, signWith } from '../support/forge.js';
import { verifyWithJwks } from '../support/jwks-verification.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const HS256_SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';

describe.each([
  ['RS256', 'RSA'],
  ['PS256', 'RSA'],
])('JWT_ALG=%s', (algorithm, keyType) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ JWT_ALG: algorithm });
  });
  afterAll(() => t.close());

  it('signs with a published key that another library verifies', async () => {
    const { tokens } = await signedInUser(t);
    expect(headerOf(tokens.access_token)).toEqual({ alg: algorithm, typ: 'at+jwt', kid: expect.any(String) });
    const jwks = await t.api().get('/.well-known/jwks.json').expect(200);
    expect(jwks.body.keys).toEqual([{ kty: keyType, n: expect.any(String), e: 'AQAB', alg: algorithm, use: 'sig', kid: headerOf(tokens.access_token).kid }]);
    const claims = verifyWithJwks(tokens.access_token, jwks.body, { algorithms: [algorithm], issuer: t.config.jwt.issuer });
    expect(claims.scope).toBe('profile');
    await t.api().get('/users/me').set('Authorization', `Bearer ${tokens.access_token}`).expect(200);
  });

  it('refuses a token of the same key under the other RSA algorithm (the algorithm is pinned)', async () => {
    const { tokens } = await signedInUser(t);
    const [row] = await t.sql<{ private_key_pem: string }>('SELECT private_key_pem FROM signing_keys WHERE kid = $1', [headerOf(tokens.access_token).kid]);
    const { createPrivateKey } = await import('node:crypto');
    const other = algorithm === 'RS256' ? 'PS256' : 'RS256';
    const forged = signWith(createPrivateKey(row.private_key_pem), { ...headerOf(tokens.access_token), alg: other }, claimsOf(tokens.access_token));
    const response = await t.api().get('/users/me').set('Authorization', `Bearer ${forged}`);
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('token_invalid');
  });
});

describe('JWT_ALG=HS256', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ JWT_ALG: 'HS256', JWT_SECRET: HS256_SECRET });
  });
  afterAll(() => t.close());

  it('signs with the shared secret and publishes no key', async () => {
    const { tokens } = await signedInUser(t);
    const header = headerOf(tokens.access_token);
    expect(header).toEqual({ alg: 'HS256', typ: 'at+jwt', kid: expect.any(String) });
    expect(JSON.stringify(header)).not.toContain(HS256_SECRET);
    // Re-signing the same header and claims with the secret gives the same token: it is plain HMAC-SHA256 under JWT_SECRET.
    expect(signWith(createSecretKey(Buffer.from(HS256_SECRET)), { ...header, alg: 'HS256' }, claimsOf(tokens.access_token))).toBe(tokens.access_token);
    await t.api().get('/.well-known/jwks.json').expect(200, { keys: [] });
    await t.api().get('/users/me').set('Authorization', `Bearer ${tokens.access_token}`).expect(200);
  });

  it('refuses a token signed with another secret', async () => {
    const { tokens } = await signedInUser(t);
    const forged = signWith(createSecretKey(Buffer.from('another-secret-of-at-least-32-bytes!!')), { ...headerOf(tokens.access_token), alg: 'HS256' }, claimsOf(tokens.access_token));
    const response = await t.api().get('/users/me').set('Authorization', `Bearer ${forged}`);
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('token_invalid');
  });
});

describe('Signing keys across restarts and instances', () => {
  it('keeps the key in the database: a second instance verifies the first one’s tokens and publishes the same key', async () => {
    const first = await startTestApp();
    let token: string;
    let jwks: unknown;
    try {
      token = (await signedInUser(first)).tokens.access_token;
      jwks = (await first.api().get('/.well-known/jwks.json')).body;
    } finally {
      await first.close();
    }
    const second = await startTestApp({}, first.databaseUrl);
    try {
      await second.api().get('/users/me').set('Authorization', `Bearer ${token}`).expect(200);
      expect((await second.api().get('/.well-known/jwks.json')).body).toEqual(jwks);
      expect(await second.sql('SELECT kid FROM signing_keys')).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('verifies with each application’s own keys and settings when several run in one process (passport’s registry is process-wide)', async () => {
    const first = await startTestApp({ JWT_ISSUER: 'https://first.test' });
    const second = await startTestApp({ JWT_ISSUER: 'https://second.test', JWT_ALG: 'HS256', JWT_SECRET: HS256_SECRET });
    try {
      const firstToken = (await signedInUser(first)).tokens.access_token;
      const secondToken = (await signedInUser(second)).tokens.access_token;
      const me = (t: TestApp, token: string) => t.api().get('/users/me').set('Authorization', `Bearer ${token}`);
      expect((await me(first, firstToken)).status).toBe(200);
      expect((await me(second, secondToken)).status).toBe(200);
      expect((await me(first, secondToken)).status).toBe(401);
      expect((await me(second, firstToken)).status).toBe(401);
    } finally {
      await second.close();
    }
    try {
      const token = (await signedInUser(first)).tokens.access_token;
      await first.api().get('/users/me').set('Authorization', `Bearer ${token}`).expect(200);
    } finally {
      await first.close();
    }
  });

  it('refuses an ES256 token on a service switched to RS256 (the algorithm is pinned)', async () => {
    const es = await startTestApp();
    let token: string;
    try {
      token = (await signedInUser(es)).tokens.access_token;
    } finally {
      await es.close();
    }
    const rs = await startTestApp({ JWT_ALG: 'RS256' }, es.databaseUrl);
    try {
      const response = await rs.api().get('/users/me').set('Authorization', `Bearer ${token}`);
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('token_invalid');
    } finally {
      await rs.close();
    }
  });
});
