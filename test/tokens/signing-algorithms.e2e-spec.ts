import { createLocalJWKSet, jwtVerify } from 'jose';
import { signedInUser } from '../support/factories.js';
import { headerOf } from '../support/forge.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const HS256_SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';

describe.each([
  ['RS256', 'RSA'],
  ['EdDSA', 'OKP'],
])('JWT_ALG=%s', (algorithm, keyType) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ JWT_ALG: algorithm });
  });
  afterAll(() => t.close());

  it('signs with a published key that another library verifies', async () => {
    const { tokens } = await signedInUser(t);
    expect(headerOf(tokens.access_token)).toMatchObject({ alg: algorithm, typ: 'at+jwt' });
    const jwks = await t.api().get('/.well-known/jwks.json').expect(200);
    expect(jwks.body.keys).toEqual([expect.objectContaining({ kty: keyType, alg: algorithm, use: 'sig', kid: headerOf(tokens.access_token).kid })]);
    expect(jwks.body.keys[0]).not.toHaveProperty('d');
    const { payload } = await jwtVerify(tokens.access_token, createLocalJWKSet(jwks.body), {
      algorithms: [algorithm],
      issuer: t.config.jwt.issuer,
      audience: 'portcullis',
      typ: 'at+jwt',
    });
    expect(payload.scope).toBe('profile');
    await t.api().get('/users/me').set('Authorization', `Bearer ${tokens.access_token}`).expect(200);
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
    expect(headerOf(tokens.access_token)).toMatchObject({ alg: 'HS256', typ: 'at+jwt', kid: expect.any(String) });
    expect(JSON.stringify(headerOf(tokens.access_token))).not.toContain(HS256_SECRET);
    const { payload } = await jwtVerify(tokens.access_token, new TextEncoder().encode(HS256_SECRET), { algorithms: ['HS256'] });
    expect(payload.tid).toEqual(expect.any(String));
    await t.api().get('/.well-known/jwks.json').expect(200, { keys: [] });
    await t.api().get('/users/me').set('Authorization', `Bearer ${tokens.access_token}`).expect(200);
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
