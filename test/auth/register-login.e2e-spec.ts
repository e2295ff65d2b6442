import { claimsOf } from '../support/forge.js';
import { insertTenant, login, registerUser, uniqueEmail } from '../support/factories.js';
import { SUPERADMIN, startTestApp, type TestApp } from '../support/test-app.js';

describe('Registration and sign-in', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('POST /auth/register', () => {
    it('creates a plain user in the default tenant, its email stored as typed, without exposing the hash', async () => {
      const email = uniqueEmail('Mixed.Case').replace('mixed', 'MIXED');
      const response = await t.api().post('/auth/register').send({ email, password: 'a good password', name: 'Grace' });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        tenantId: expect.any(String),
        email,
        name: 'Grace',
        roles: ['user'],
        active: true,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        lastLoginAt: null,
      });
      const [row] = await t.sql<{ email: string; password_hash: string }>('SELECT email, password_hash FROM users WHERE id = $1', [response.body.id]);
      expect(row.email).toBe(email);
      expect(row.password_hash).toMatch(/^\$2[aby]\$04\$/);
      expect(JSON.stringify(response.body)).not.toContain(row.password_hash);
    });

    it('refuses roles or any other unknown field (no mass assignment) and creates nothing', async () => {
      const email = uniqueEmail();
      for (const extra of [{ roles: ['admin'] }, { active: false }, { tenantId: '00000000-0000-4000-8000-000000000000' }]) {
        const response = await t.api().post('/auth/register').send({ email, password: 'a good password', ...extra });
        expect(response.status).toBe(400);
        expect(response.body.code).toBe('validation_failed');
      }
      expect(await t.sql('SELECT 1 FROM users WHERE email = $1', [email])).toHaveLength(0);
    });

    it('answers 409 email_taken for the same email in any letter case', async () => {
      const user = await registerUser(t);
      const response = await t.api().post('/auth/register').send({ email: user.email.toUpperCase(), password: 'another password' });
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ statusCode: 409, code: 'email_taken' });
    });

    it('lets the same email register in another tenant', async () => {
      const user = await registerUser(t);
      const tenant = await insertTenant(t, { selfSignup: true });
      const other = await registerUser(t, { email: user.email, tenant: tenant.slug });
      expect(other.tenantId).toBe(tenant.id);
    });

    it('answers 403 where the tenant has self-signup off, and alike for an unknown tenant', async () => {
      const closed = await insertTenant(t, { selfSignup: false });
      const refused = await t.api().post('/auth/register').send({ tenant: closed.slug, email: uniqueEmail(), password: 'a good password' });
      expect(refused.status).toBe(403);
      const unknown = await t.api().post('/auth/register').send({ tenant: 'no-such-tenant', email: uniqueEmail(), password: 'a good password' });
      expect(unknown.status).toBe(403);
      expect(unknown.body.code).toBe(refused.body.code);
    });

    it.each([
      ['a 7-character password', { password: '1234567' }],
      ['a 129-character password', { password: 'x'.repeat(129) }],
      ['a malformed email', { email: 'not-an-email' }],
      ['a numeric password', { password: 12345678 }],
      ['a missing password', { password: undefined }],
    ])('refuses %s with validation_failed', async (_name, override) => {
      const response = await t.api().post('/auth/register').send({ email: uniqueEmail(), password: 'a good password', ...override });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'validation_failed', message: expect.any(Array) });
    });

    it('accepts passwords of 8 and of 128 characters', async () => {
      const short = await registerUser(t, { password: 'k3#Vq9!z' });
      await login(t, short);
      const long = await registerUser(t, { password: 'p'.repeat(128) });
      await login(t, long);
    });
  });

  describe('POST /auth/login', () => {
    it('signs in with the email in any letter case and records the time', async () => {
      const user = await registerUser(t);
      const tokens = await login(t, { email: user.email.toUpperCase(), password: user.password });
      expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'profile' });
      const me = await t.api().get('/users/me').set('Authorization', `Bearer ${tokens.access_token}`);
      expect(me.body.lastLoginAt).not.toBeNull();
    });

    it('answers an unknown email and a wrong password with the same 401 body', async () => {
      const user = await registerUser(t);
      const wrongPassword = await t.api().post('/auth/login').send({ email: user.email, password: 'not the password' });
      const unknownEmail = await t.api().post('/auth/login').send({ email: uniqueEmail('nobody'), password: 'not the password' });
      const unknownTenant = await t.api().post('/auth/login').send({ tenant: 'nope', email: user.email, password: user.password });
      expect(wrongPassword.status).toBe(401);
      expect(wrongPassword.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid email or password', code: 'invalid_credentials' });
      expect(unknownEmail.status).toBe(401);
      expect(unknownEmail.body).toEqual(wrongPassword.body);
      expect(unknownTenant.body).toEqual(wrongPassword.body);
    });

    it('answers concurrent sign-ins of different users each with their own token', async () => {
      const users = await Promise.all(Array.from({ length: 10 }, () => registerUser(t)));
      const responses = await Promise.all(users.map((user) => t.api().post('/auth/login').send({ email: user.email, password: user.password })));
      for (const [index, response] of responses.entries()) {
        expect(response.status).toBe(200);
        const me = await t.api().get('/users/me').set('Authorization', `Bearer ${response.body.access_token}`);
        expect(me.body.id).toBe(users[index].id);
      }
    });

    it('tells a disabled account apart only to whoever knows its password', async () => {
      const user = await registerUser(t);
      await t.sql('UPDATE users SET active = false WHERE id = $1', [user.id]);
      const right = await t.api().post('/auth/login').send({ email: user.email, password: user.password });
      expect(right.status).toBe(403);
      expect(right.body.code).toBe('account_disabled');
      const wrong = await t.api().post('/auth/login').send({ email: user.email, password: 'not the password' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe('invalid_credentials');
    });

    it('does not let two passwords sharing their first 72 bytes stand for each other', async () => {
      const prefix = 'é'.repeat(36); // 72 bytes of UTF-8, bcrypt's whole input
      const user = await registerUser(t, { password: `${prefix}-one` });
      await login(t, { email: user.email, password: `${prefix}-one` });
      const response = await t.api().post('/auth/login').send({ email: user.email, password: `${prefix}-two` });
      expect(response.status).toBe(401);
    });

    it('narrows the token to the scopes requested that the roles allow, never more', async () => {
      const user = await registerUser(t);
      const tokens = await login(t, { email: user.email, password: user.password, scope: 'profile users:write tenants:write' });
      expect(tokens.scope).toBe('profile');
      const none = await t.api().post('/auth/login').send({ email: user.email, password: user.password, scope: 'users:write' });
      expect(none.status).toBe(400);
      expect(none.body).toMatchObject({ statusCode: 400, code: 'invalid_scope' });
    });

    it('refuses malformed bodies with validation_failed before checking any password', async () => {
      for (const body of [{ email: 'a@b.c' }, { password: 'x' }, { email: 'a@b.c', password: 'x', roles: ['admin'] }, [1, 2]]) {
        const response = await t.api().post('/auth/login').send(body);
        expect(response.status).toBe(400);
        expect(response.body.code).toBe('validation_failed');
      }
    });

    it('signs in the bootstrap superadmin with every scope', async () => {
      const tokens = await login(t, SUPERADMIN);
      expect(tokens.scope.split(' ')).toEqual(
        expect.arrayContaining(['profile', 'users:read', 'users:write', 'tenants:read', 'tenants:write', 'tokens:introspect']),
      );
      const me = await t.api().get('/users/me').set('Authorization', `Bearer ${tokens.access_token}`).expect(200);
      expect(me.body.roles).toEqual(['superadmin']);
    });
  });

  describe('POST /auth/token', () => {
    it('grants password as a form post, the way Swagger UI sends it', async () => {
      const user = await registerUser(t);
      const response = await t
        .api()
        .post('/auth/token')
        .type('form')
        .send({ grant_type: 'password', username: user.email, password: user.password, scope: 'profile' });
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toMatchObject({ token_type: 'Bearer', scope: 'profile', refresh_token: expect.any(String) });
      await t.api().get('/users/me').set('Authorization', `Bearer ${response.body.access_token}`).expect(200);
    });

    it('grants password as JSON too', async () => {
      const user = await registerUser(t);
      const response = await t.api().post('/auth/token').send({ grant_type: 'password', username: user.email, password: user.password });
      expect(response.status).toBe(200);
    });

    it('ignores parameters it does not know (RFC 6749 §3.2)', async () => {
      const user = await registerUser(t);
      const response = await t.api().post('/auth/token').type('form').send({ grant_type: 'password', username: user.email, password: user.password, admin: 'yes', resource: 'x' });
      expect(response.status).toBe(200);
      expect(claimsOf(response.body.access_token).roles).toEqual(['user']);
    });

    it('answers errors in RFC 6749 form', async () => {
      const user = await registerUser(t);
      const cases: Array<[Record<string, string>, number, string]> = [
        [{ grant_type: 'password', username: user.email, password: 'wrong password' }, 400, 'invalid_grant'],
        [{ grant_type: 'password', username: uniqueEmail(), password: 'wrong password' }, 400, 'invalid_grant'],
        [{ grant_type: 'password', username: user.email }, 400, 'invalid_request'],
        [{ grant_type: 'authorization_code', code: 'x', redirect_uri: 'https://app.example/cb' }, 400, 'unsupported_grant_type'],
        [{ grant_type: 'implicit' }, 400, 'unsupported_grant_type'],
        [{}, 400, 'invalid_request'],
      ];
      for (const [body, status, error] of cases) {
        const response = await t.api().post('/auth/token').type('form').send(body);
        expect({ body, status: response.status, error: response.body.error }).toEqual({ body, status, error });
        expect(response.body).toEqual({ error, error_description: expect.any(String) });
      }
    });
  });
});
