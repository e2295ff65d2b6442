import { randomUUID } from 'node:crypto';
import { login, registerUser, signedInUser, uniqueEmail } from '../support/factories.js';
import { createTenant, superadminTokens } from '../support/principals.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('One canonical form per email, and passwords people actually guess', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const register = (email: string, password = `pw ${randomUUID()}`) => t.api().post('/auth/register').send({ email, password });
  const tag = () => randomUUID().slice(0, 6);

  it.each([
    ['composed and decomposed', (id: string) => [`\u01F0ohn-${id}@x.io`, `J\u030Cohn-${id}@x.io`]],
    ['long s, fullwidth s and plain s', (id: string) => [`\u017Fam-${id}@x.io`, `\uFF53am-${id}@x.io`, `sam-${id}@x.io`]],
    ['capital sharp s and ss', (id: string) => [`STRA\u1E9EE-${id}@x.io`, `strasse-${id}@x.io`]],
  ])('makes %s one account, stored NFC, reachable by every spelling', async (_name, spellings) => {
    const [first, ...others] = spellings(tag());
    const password = `pw ${randomUUID()}`;
    const created = await register(first, password).expect(201);
    expect(created.body.email).toBe(created.body.email.normalize('NFC'));
    for (const other of others) {
      const again = await register(other);
      expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'email_taken' });
      expect((await login(t, { email: other, password })).scope).toBe('profile');
    }
  });

  it.each([
    ['a zero-width space', `ad\u200Ba-${randomUUID().slice(0, 6)}@x.io`],
    ['a right-to-left override', `ad\u202Ea-${randomUUID().slice(0, 6)}@x.io`],
    ['a soft hyphen', `ad\u00ADa-${randomUUID().slice(0, 6)}@x.io`],
  ])('refuses an email with %s', async (_name, email) => {
    const response = await register(email);
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code: 'validation_failed' });
  });

  it('rewrites stored emails to the canonical form in a migration, leaving clashes untouched', async () => {
    const id = tag();
    const [{ id: tenantId }] = await t.sql<{ id: string }>(`SELECT id FROM tenants WHERE slug = 'default'`);
    // As the old rules stored them: NFC first, lower-cased after, so not always NFC, and ſ kept.
    const old = [`j\u030Cohn-${id}@x.io`, `\u017Fam-${id}@x.io`, `sam-${id}@x.io`];
    for (const email of old) {
      await t.sql(`INSERT INTO users (tenant_id, email, password_hash, roles) VALUES ($1, $2, 'x', '{user}')`, [tenantId, email]);
    }
    await t.sql(`DELETE FROM migrations WHERE name = 'CanonicalEmails1795394000000'`);
    const again = await startTestApp({}, t.databaseUrl);
    await again.close();
    const emails = (await t.sql<{ email: string }>(`SELECT email FROM users WHERE email LIKE $1 ORDER BY email`, [`%-${id}@x.io`])).map((row) => row.email);
    expect(emails).toEqual([`\u01F0ohn-${id}@x.io`, `sam-${id}@x.io`, `\u017Fam-${id}@x.io`].sort());
  });

  describe('passwords', () => {
    const refusal = (response: { status: number; body: { code?: string; message?: unknown } }) => ({ status: response.status, code: response.body.code, message: String(response.body.message) });

    it.each(['password1', 'Iloveyou123', 'qwertyuiop', 'PASSWORD123'])('refuses the common password %s, saying why', async (password) => {
      expect(refusal(await register(uniqueEmail(), password))).toEqual({ status: 400, code: 'validation_failed', message: expect.stringMatching(/common passwords/) });
    });

    it('refuses the email, or its local part, as the password', async () => {
      const email = uniqueEmail('same');
      expect(refusal(await register(email, email.toUpperCase()))).toEqual({ status: 400, code: 'validation_failed', message: expect.stringMatching(/email/) });
      expect(refusal(await register(email, email.slice(0, email.indexOf('@'))))).toEqual({ status: 400, code: 'validation_failed', message: expect.stringMatching(/email/) });
    });

    it('applies everywhere a password is set: admin-created users, a tenant’s first admin, a password change', async () => {
      const superadmin = await superadminTokens(t);
      const tenant = await createTenant(t, superadmin);
      const admin = await login(t, { ...tenant.admin, tenant: tenant.slug });
      const created = await t.api().post(`/tenants/${tenant.id}/users`).set('Authorization', `Bearer ${admin.access_token}`).send({ email: uniqueEmail(), password: 'password1', roles: ['user'] });
      expect(refusal(created)).toMatchObject({ status: 400, code: 'validation_failed' });
      const slug = `p-${tag()}`;
      const tenantWithWeakAdmin = await t.api().post('/tenants').set('Authorization', `Bearer ${superadmin.access_token}`).send({ slug, name: slug, admin: { email: uniqueEmail(), password: 'iloveyou1' } });
      expect(refusal(tenantWithWeakAdmin)).toMatchObject({ status: 400, code: 'validation_failed' });
      const user = await signedInUser(t);
      const change = (newPassword: string) => t.api().post('/auth/password').set('Authorization', `Bearer ${user.tokens.access_token}`).send({ currentPassword: user.password, newPassword });
      expect(refusal(await change('baseball1'))).toMatchObject({ status: 400, code: 'validation_failed' });
      expect(refusal(await change(user.email))).toMatchObject({ status: 400, code: 'validation_failed', message: expect.stringMatching(/email/) });
      await change('a perfectly fine passphrase').expect(204);
    });

    it('accepts an unusual, long passphrase', async () => {
      await register(uniqueEmail(), 'Tr0ub4dor&3 is not my password, this sentence is').expect(201);
    });
  });

  it('never lets a response carrying a token or a secret be cached', async () => {
    const user = await registerUser(t);
    const responses = [
      await t.api().post('/auth/login').send({ email: user.email, password: user.password }),
      await t.api().post('/auth/login').send({ email: user.email, password: 'a wrong password' }),
    ];
    const tokens = responses[0].body as { access_token: string; refresh_token: string };
    responses.push(await t.api().post('/auth/refresh').send({ refresh_token: tokens.refresh_token }));
    responses.push(await t.api().get('/auth/whoami').set('Authorization', `Bearer ${tokens.access_token}`));
    responses.push(await t.api().get('/users/me').set('Authorization', `Bearer ${tokens.access_token}`));
    const superadmin = await superadminTokens(t);
    const tenant = await createTenant(t, superadmin);
    responses.push(await t.api().post(`/tenants/${tenant.id}/clients`).set('Authorization', `Bearer ${superadmin.access_token}`).send({ name: 'cache-check', scopes: ['users:read'] }));
    expect(responses[responses.length - 1].body.clientSecret).toEqual(expect.any(String));
    const labels = ['login', 'failed login', 'refresh', 'whoami', 'users/me', 'new client'];
    expect(responses.map((response) => response.headers['cache-control'])).toEqual(labels.map(() => 'no-store'));
    expect((await t.api().get('/.well-known/jwks.json')).headers['cache-control']).toBe('public, max-age=300');
  });
});
