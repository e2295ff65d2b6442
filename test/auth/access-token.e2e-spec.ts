import { createPublicKey } from 'node:crypto';
import { signedInUser, type TokenPair } from '../support/factories.js';
import { claimsOf, foreignEcKey, headerOf, hmacToken, signWith, unsignedToken } from '../support/forge.js';
import { verifyWithJwks } from '../support/jwks-verification.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('Access tokens (ES256, the default)', () => {
  let t: TestApp;
  let tokens: TokenPair;
  let userId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const user = await signedInUser(t);
    tokens = user.tokens;
    userId = user.id;
  });
  afterAll(() => t.close());

  /** Valid claims for this service, to be spoiled one at a time. */
  function validClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: t.config.jwt.issuer,
      aud: t.config.jwt.audience,
      sub: userId,
      tid: claimsOf(tokens.access_token).tid,
      roles: ['user'],
      scope: 'profile',
      jti: 'f0f0f0f0-0000-4000-8000-000000000000',
      iat: now,
      exp: now + 600,
      ...overrides,
    };
  }

  async function expectRefused(token: string, code = 'token_invalid'): Promise<void> {
    const response = await t.api().get('/users/me').set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ statusCode: 401, code });
    // Our own wording, never passport's bare "Unauthorized".
    expect(response.body.message).toMatch(/^(Token|Malformed Authorization header)/);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="portcullis", error="invalid_token", error_description="[^"]*"$/);
  }

  it('carries the RFC 9068 header and the contract claims', () => {
    const header = headerOf(tokens.access_token);
    expect(header).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
    const claims = claimsOf(tokens.access_token);
    expect(claims).toEqual({
      iss: 'https://portcullis.test',
      aud: 'portcullis',
      sub: userId,
      tid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      roles: ['user'],
      scope: 'profile',
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      sid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      client_id: 'portcullis',
      auth_time: expect.any(Number),
      iat: expect.any(Number),
      exp: (claims.iat as number) + 900,
    });
    expect(Math.abs((claims.auth_time as number) - (claims.iat as number))).toBeLessThanOrEqual(1);
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'profile' });
    expect(tokens.refresh_token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
  });

  it('verifies in another library with nothing but the JWKS document', async () => {
    const jwks = await t.api().get('/.well-known/jwks.json').expect(200);
    const claims = verifyWithJwks(tokens.access_token, jwks.body, { issuer: 'https://portcullis.test', algorithms: ['ES256'] });
    expect(claims.sub).toBe(userId);
    expect(headerOf(tokens.access_token).kid).toBe(jwks.body.keys[0].kid);
    expect(jwks.body.keys[0]).not.toHaveProperty('d');
  });

  it('lets the holder call a protected route', async () => {
    const response = await t.api().get('/users/me').set('Authorization', `Bearer ${tokens.access_token}`);
    expect(response.status).toBe(200);
    expect(response.body.id).toBe(userId);
  });

  it('answers /auth/whoami with the token’s own claims, the same on every call', async () => {
    const claims = claimsOf(tokens.access_token);
    const expected = {
      sub: claims.sub,
      tid: claims.tid,
      roles: claims.roles,
      scope: claims.scope,
      client_id: 'portcullis',
      auth_time: claims.auth_time,
      sid: claims.sid,
      jti: claims.jti,
      iat: claims.iat,
      exp: claims.exp,
    };
    for (let call = 0; call < 2; call++) {
      const response = await t.api().get('/auth/whoami').set('Authorization', `Bearer ${tokens.access_token}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(expected);
    }
  });

  it('answers a request without a token with token_missing and a bare challenge', async () => {
    const response = await t.api().get('/users/me');
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String), code: 'token_missing' });
    expect(response.headers['www-authenticate']).toBe('Bearer realm="portcullis"');
  });

  it('treats another scheme as no bearer token', async () => {
    const response = await t.api().get('/users/me').set('Authorization', 'Basic dXNlcjpwYXNz');
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('token_missing');
  });

  it.each([
    ['garbage', 'not-a-jwt'],
    ['three garbage segments', 'abc.def.ghi'],
    ['an empty bearer value', ''],
    ['a token over 4 KiB', `${'a'.repeat(5000)}.b.c`],
  ])('refuses %s', async (_name, token) => {
    await expectRefused(token);
  });

  it('refuses a token with a tampered payload, though the genuine token with that signature was just accepted', async () => {
    // The genuine token is now among the verified ones, which are looked up by signature.
    expect((await t.api().get('/users/me').set('Authorization', `Bearer ${tokens.access_token}`)).status).toBe(200);
    const [header, , signature] = tokens.access_token.split('.');
    const payload = Buffer.from(JSON.stringify({ ...claimsOf(tokens.access_token), roles: ['superadmin'] })).toString('base64url');
    await expectRefused(`${header}.${payload}.${signature}`);
  });

  it('refuses a token signed by another key, even with our kid', async () => {
    await expectRefused(signWith(foreignEcKey(), { alg: 'ES256', typ: 'at+jwt', kid: headerOf(tokens.access_token).kid }, validClaims()));
  });

  it('refuses alg none', async () => {
    await expectRefused(unsignedToken({ typ: 'at+jwt', kid: headerOf(tokens.access_token).kid }, validClaims()));
  });

  it('refuses HS256 keyed with the published public key (algorithm confusion)', async () => {
    const jwks = await t.api().get('/.well-known/jwks.json');
    const publicPem = createPublicKey({ key: jwks.body.keys[0], format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const kid = headerOf(tokens.access_token).kid;
    await expectRefused(hmacToken(publicPem, { typ: 'at+jwt', kid }, validClaims()));
    await expectRefused(hmacToken(JSON.stringify(jwks.body.keys[0]), { typ: 'at+jwt', kid }, validClaims()));
  });

  describe('claims checked on a correctly signed token', () => {
    // These are signed with the service's own key, taken from its database, so only the claim is wrong.
    let sign: (header: Record<string, unknown>, claims: Record<string, unknown>) => string;

    beforeAll(async () => {
      const [row] = await t.sql<{ kid: string; private_key_pem: string }>('SELECT kid, private_key_pem FROM signing_keys');
      const { createPrivateKey } = await import('node:crypto');
      const key = createPrivateKey(row.private_key_pem);
      sign = (header, claims) => signWith(key, { alg: 'ES256', typ: 'at+jwt', kid: row.kid, ...header }, claims);
    });

    it('accepts the unspoiled control token', async () => {
      const response = await t.api().get('/users/me').set('Authorization', `Bearer ${sign({}, validClaims())}`);
      expect(response.status).toBe(200);
    });

    it('refuses an expired token with token_expired', async () => {
      const now = Math.floor(Date.now() / 1000);
      await expectRefused(sign({}, validClaims({ iat: now - 3600, exp: now - 60 })), 'token_expired');
    });

    it('accepts a token expired within the 30 s leeway', async () => {
      const now = Math.floor(Date.now() / 1000);
      const response = await t.api().get('/users/me').set('Authorization', `Bearer ${sign({}, validClaims({ iat: now - 900, exp: now - 10 }))}`);
      expect(response.status).toBe(200);
    });

    it('refuses a token without exp', async () => {
      await expectRefused(sign({}, validClaims({ exp: undefined })));
    });

    it('refuses a token without iat', async () => {
      await expectRefused(sign({}, validClaims({ iat: undefined })));
    });

    it('refuses a token issued in the future', async () => {
      const now = Math.floor(Date.now() / 1000);
      await expectRefused(sign({}, validClaims({ iat: now + 3600, exp: now + 7200 })));
    });

    it('refuses a token not valid yet (nbf)', async () => {
      const now = Math.floor(Date.now() / 1000);
      await expectRefused(sign({}, validClaims({ nbf: now + 600 })));
    });

    it.each([
      ['another audience', { aud: 'someone-else' }],
      ['another issuer', { iss: 'https://evil.example' }],
      ['no tenant', { tid: undefined }],
      ['roles that are not a list', { roles: 'superadmin' }],
      ['no subject', { sub: undefined }],
    ])('refuses %s', async (_name, overrides) => {
      await expectRefused(sign({}, validClaims(overrides)));
    });

    it.each([
      ['a critical extension', { crit: ['b64'], b64: false }],
      ['typ JWT', { typ: 'JWT' }],
      ['no typ', { typ: undefined }],
      ['an unknown kid', { kid: 'no-such-key' }],
      ['no kid', { kid: undefined }],
    ])('refuses a header with %s', async (_name, header) => {
      await expectRefused(sign(header, validClaims()));
    });
  });
});
