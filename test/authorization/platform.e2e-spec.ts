import { setTimeout as sleep } from 'node:timers/promises';
import { login, type TokenPair } from '../support/factories.js';
import { claimsOf } from '../support/forge.js';
import { clientToken, createClient, createTenant, createUser, superadminTokens } from '../support/principals.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('Platform administration of tenants', () => {
  let t: TestApp;
  let superadmin: TokenPair;

  beforeAll(async () => {
    t = await startTestApp();
    superadmin = await superadminTokens(t);
  });
  afterAll(() => t.close());

  const as = (tokens: TokenPair) => ({
    get: (path: string) => t.api().get(path).set('Authorization', `Bearer ${tokens.access_token}`),
    post: (path: string, body?: object) => t.api().post(path).set('Authorization', `Bearer ${tokens.access_token}`).send(body),
    patch: (path: string, body: object) => t.api().patch(path).set('Authorization', `Bearer ${tokens.access_token}`).send(body),
  });

  it('creates a tenant with its first admin, who can sign in to it', async () => {
    const response = await as(superadmin).post('/tenants', { slug: 'acme', name: 'Acme', admin: { email: 'Boss@Acme.example', password: 'a good password' } });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: expect.any(String), slug: 'acme', name: 'Acme', selfSignup: false, active: true, createdAt: expect.any(String) });
    const admin = await login(t, { tenant: 'acme', email: 'boss@acme.example', password: 'a good password' });
    expect(claimsOf(admin.access_token)).toMatchObject({ tid: response.body.id, roles: ['admin'] });
    const taken = await as(superadmin).post('/tenants', { slug: 'acme', name: 'Again', admin: { email: 'x@acme.example', password: 'a good password' } });
    expect(taken.status).toBe(409);
    const list = await as(superadmin).get('/tenants');
    expect(list.body.items.map((tenant: { slug: string }) => tenant.slug)).toEqual(expect.arrayContaining(['default', 'acme']));
  });

  it('refuses a tenant without a valid admin or slug', async () => {
    for (const body of [
      { slug: 'Bad Slug', name: 'x', admin: { email: 'a@b.example', password: 'a good password' } },
      { slug: 'ok-slug', name: 'x' },
      { slug: 'ok-slug', name: 'x', admin: { email: 'not-an-email', password: 'a good password' } },
      { slug: 'ok-slug', name: 'x', admin: { email: 'a@b.example', password: 'short' } },
    ]) {
      const response = await as(superadmin).post('/tenants', body);
      expect(response.status).toBe(400);
    }
  });

  it('disabling a tenant refuses every token of it at once with tenant_disabled; enabling lets new ones in', async () => {
    const tenant = await createTenant(t, superadmin);
    const admin = await login(t, { ...tenant.admin, tenant: tenant.slug });
    const client = await createClient(t, admin, tenant, ['users:read']);
    const clientTokens = await clientToken(t, client);
    await as(superadmin).patch(`/tenants/${tenant.id}`, { active: false }).expect(200);
    for (const tokens of [admin, clientTokens]) {
      const response = await t.api().get(`/tenants/${tenant.id}/users`).set('Authorization', `Bearer ${tokens.access_token}`);
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('tenant_disabled');
      expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    }
    const signIn = await t.api().post('/auth/login').send({ ...tenant.admin, tenant: tenant.slug });
    expect(signIn.status).toBe(403);
    expect(signIn.body.code).toBe('tenant_disabled');
    const grant = await t.api().post('/auth/token').auth(client.clientId, client.clientSecret).type('form').send({ grant_type: 'client_credentials' });
    expect(grant.status).toBe(401);
    expect(grant.body.error).toBe('invalid_client');

    await as(superadmin).patch(`/tenants/${tenant.id}`, { active: true }).expect(200);
    // `iat` has one-second resolution: tokens of the second the tenant was disabled in count as its old ones.
    await sleep(1100);
    const again = await login(t, { ...tenant.admin, tenant: tenant.slug });
    await t.api().get(`/tenants/${tenant.id}/users`).set('Authorization', `Bearer ${again.access_token}`).expect(200);
  });

  it('renames and closes self-signup', async () => {
    const tenant = await createTenant(t, superadmin, { selfSignup: true });
    await t.api().post('/auth/register').send({ tenant: tenant.slug, email: 'self@x.example', password: 'a good password' }).expect(201);
    const response = await as(superadmin).patch(`/tenants/${tenant.id}`, { name: 'New name', selfSignup: false });
    expect(response.body).toMatchObject({ name: 'New name', selfSignup: false, active: true });
    await t.api().post('/auth/register').send({ tenant: tenant.slug, email: 'self2@x.example', password: 'a good password' }).expect(403);
  });

  it('will not disable the tenant holding the superadmin', async () => {
    const defaultTenant = claimsOf(superadmin.access_token).tid as string;
    const response = await as(superadmin).patch(`/tenants/${defaultTenant}`, { active: false });
    expect(response.status).toBe(409);
    await as(superadmin).get('/tenants').expect(200);
  });

  it('lets no tenant admin reach platform routes', async () => {
    const tenant = await createTenant(t, superadmin);
    const admin = await login(t, { ...tenant.admin, tenant: tenant.slug });
    expect((await as(admin).get('/tenants')).body.code).toBe('insufficient_role');
    expect((await as(admin).patch(`/tenants/${tenant.id}`, { name: 'mine' })).body.code).toBe('insufficient_role');
    const moderator = await login(t, await createUser(t, admin, tenant, ['moderator']));
    expect((await as(moderator).post('/tenants', {})).status).toBe(403);
  });
});
