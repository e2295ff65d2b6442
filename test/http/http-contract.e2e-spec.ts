import { signedInUser } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('HTTP contract: errors, health, discovery and docs', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('bad input is a clear 4xx, never a 5xx', () => {
    it('answers malformed JSON with 400', async () => {
      const response = await t.api().post('/auth/register').set('Content-Type', 'application/json').send('{"email":');
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'bad_request' });
    });

    it('answers a body over 64 KiB with 413 payload_too_large', async () => {
      const response = await t.api().post('/auth/register').send({ email: 'a@b.c', password: 'p'.repeat(70 * 1024) });
      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({ statusCode: 413, code: 'payload_too_large' });
    });

    it('answers a content type it does not read with 415', async () => {
      const response = await t.api().post('/auth/register').set('Content-Type', 'text/plain').send('email=a@b.c');
      expect(response.status).toBe(415);
      expect(response.body.code).toBe('unsupported_media_type');
    });

    it('answers an unknown route with 404 not_found', async () => {
      const response = await t.api().get('/no/such/route');
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ statusCode: 404, code: 'not_found' });
    });

    it('answers an empty JSON body on a route that needs one with 400', async () => {
      const response = await t.api().post('/auth/register').set('Content-Type', 'application/json');
      expect(response.status).toBe(400);
    });

    it.each([
      ['a NUL in a login email', 'post', '/auth/login', { email: 'a\u0000@b.io', password: 'whatever it is' }],
      ['a lone surrogate in an unknown email', 'post', '/auth/login', { email: 'zz\ud800@x.io', password: 'whatever it is' }],
      ['a NUL in a registration', 'post', '/auth/register', { email: 'new@b.io', password: 'long enough password', name: 'x\u0000' }],
      ['a NUL in a path parameter', 'get', '/tenants/a%00b/users', undefined],
    ])('refuses text no column can store (%s) with 400 validation_failed', async (_name, method, path, body) => {
      const request = t.api()[method as 'get' | 'post'](path);
      const response = await (body ? request.send(body) : request);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'validation_failed' });
    });

    it('refuses a lone surrogate in the password grant’s tenant in RFC 6749 form, or the contract’s, never a 5xx', async () => {
      const response = await t.api().post('/auth/token').type('form').send({ grant_type: 'password', username: 'a@b.io', password: 'whatever it is', tenant: 'x\u0000' });
      expect(response.status).toBe(400);
    });

    it('answers deeply nested or odd JSON without a 5xx', async () => {
      const nested = `${'['.repeat(5000)}${']'.repeat(5000)}`;
      const nestedInField = `{"email":"a@b.c","password":"12345678","x":${nested}}`;
      for (const body of [nested, nestedInField, '"just a string"', 'null', '[]', '{"__proto__":{"admin":true},"email":"a@b.c","password":"12345678"}']) {
        const response = await t.api().post('/auth/register').set('Content-Type', 'application/json').send(body);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
      }
    });
  });

  it('sets the API security headers on answers and helmet’s page headers on Swagger UI', async () => {
    for (const path of ['/health', '/users/me', '/no/such/route']) {
      const response = await t.api().get(path);
      expect(response.headers).toMatchObject({
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
        'referrer-policy': 'no-referrer',
      });
    }
    for (const path of ['/docs', '/docs/swagger-ui.css']) {
      const page = await t.api().get(path);
      expect(page.status).toBe(200);
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    }
  });

  it('reports health with the database check', async () => {
    const response = await t.api().get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('publishes the authorization server metadata', async () => {
    const response = await t.api().get('/.well-known/openid-configuration');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      issuer: 'https://portcullis.test',
      token_endpoint: 'https://portcullis.test/auth/token',
      jwks_uri: 'https://portcullis.test/.well-known/jwks.json',
      revocation_endpoint: 'https://portcullis.test/auth/revoke',
      introspection_endpoint: 'https://portcullis.test/auth/introspect',
      grant_types_supported: expect.arrayContaining(['password', 'refresh_token', 'client_credentials']),
      scopes_supported: expect.arrayContaining(['profile', 'users:read', 'tenants:write']),
    });
  });

  describe('Swagger', () => {
    it('serves Swagger UI at /docs', async () => {
      const response = await t.api().get('/docs').redirects(1);
      expect(response.status).toBe(200);
      expect(response.text).toContain('swagger-ui');
    });

    it('describes bearer and OAuth2 password security, the token URL being /auth/token', async () => {
      const { body } = await t.api().get('/docs-json').expect(200);
      expect(body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(body.components.securitySchemes.oauth2).toMatchObject({ type: 'oauth2', flows: { password: { tokenUrl: '/auth/token' } } });
    });
  });

  it('keeps the Authorization header out of the answer and the password out of every body', async () => {
    const user = await signedInUser(t);
    const response = await t.api().get('/users/me').set('Authorization', `Bearer ${user.tokens.access_token}`);
    expect(JSON.stringify(response.body)).not.toContain(user.password);
    expect(JSON.stringify(response.headers)).not.toContain(user.tokens.access_token);
  });
});
