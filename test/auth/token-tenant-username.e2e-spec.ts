import { insertTenant, registerUser, uniqueEmail } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('POST /auth/token password grant: the `tenant/email` username form', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const passwordGrant = (fields: Record<string, string>) =>
    t.api().post('/auth/token').type('form').send({ grant_type: 'password', ...fields });

  it('signs in a user of another tenant named as `slug/email` (what Swagger UI’s dialog can send)', async () => {
    const tenant = await insertTenant(t);
    const user = await registerUser(t, { tenant: tenant.slug });
    const response = await passwordGrant({ username: `${tenant.slug}/${user.email}`, password: user.password });
    expect(response.status).toBe(200);
    const claims = JSON.parse(Buffer.from(String(response.body.access_token).split('.')[1], 'base64url').toString()) as { sub: string; tid: string };
    expect(claims).toMatchObject({ sub: user.id, tid: tenant.id });
  });

  it('still takes the `tenant` field, and then reads the whole username as the email', async () => {
    const tenant = await insertTenant(t);
    const user = await registerUser(t, { tenant: tenant.slug });
    expect((await passwordGrant({ tenant: tenant.slug, username: user.email, password: user.password })).status).toBe(200);
    const both = await passwordGrant({ tenant: tenant.slug, username: `${tenant.slug}/${user.email}`, password: user.password });
    expect(both.status).toBe(400);
    expect(both.body.error).toBe('invalid_grant');
  });

  it('reads a plain email as one of the default tenant', async () => {
    const user = await registerUser(t);
    expect((await passwordGrant({ username: user.email, password: user.password })).status).toBe(200);
    expect((await passwordGrant({ username: `default/${user.email}`, password: user.password })).status).toBe(200);
  });

  it('keeps a `/` in an email’s local part when the part before it is not a slug, and splits at the first `/` only', async () => {
    const local = `Team/${uniqueEmail('ops')}`;
    const user = await registerUser(t, { email: local });
    expect((await passwordGrant({ username: local, password: user.password })).status).toBe(200);
    const withSlash = await registerUser(t, { email: `ops/${uniqueEmail('x')}` });
    expect((await passwordGrant({ username: `default/${withSlash.email}`, password: withSlash.password })).status).toBe(200);
  });

  it('answers an unknown tenant prefix like a wrong password', async () => {
    const user = await registerUser(t);
    const response = await passwordGrant({ username: `no-such-tenant/${user.email}`, password: user.password });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_grant');
  });
});
