import { login, registerUser, type TokenPair } from '../support/factories.js';
import { claimsOf } from '../support/forge.js';
import { createTenant, createUser, superadminTokens, type Tenant } from '../support/principals.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('Tenant user administration', () => {
  let t: TestApp;
  let superadmin: TokenPair;
  let tenant: Tenant;
  let admin: TokenPair;

  beforeAll(async () => {
    t = await startTestApp();
    superadmin = await superadminTokens(t);
    tenant = await createTenant(t, superadmin);
    admin = await login(t, { ...tenant.admin, tenant: tenant.slug });
  });
  afterAll(() => t.close());

  const as = (tokens: TokenPair) => ({
    get: (path: string) => t.api().get(path).set('Authorization', `Bearer ${tokens.access_token}`),
    post: (path: string, body?: object) => t.api().post(path).set('Authorization', `Bearer ${tokens.access_token}`).send(body),
    patch: (path: string, body: object) => t.api().patch(path).set('Authorization', `Bearer ${tokens.access_token}`).send(body),
    delete: (path: string) => t.api().delete(path).set('Authorization', `Bearer ${tokens.access_token}`),
  });
  const users = () => `/tenants/${tenant.id}/users`;

  it('creates users with roles, lists, searches and pages them', async () => {
    const created = await as(admin).post(users(), { email: 'Searchable.One@Example.com', password: 'a good password', name: 'Findme Person', roles: ['moderator'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'Searchable.One@Example.com', roles: ['moderator'], tenantId: tenant.id });
    await createUser(t, admin, tenant, ['user']);
    const all = await as(admin).get(`${users()}?limit=100`);
    expect(all.body.total).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(all.body)).not.toMatch(/password|hash/i);
    const found = await as(admin).get(`${users()}?q=findme`);
    expect(found.body).toEqual({ total: 1, items: [expect.objectContaining({ id: created.body.id })] });
    const byEmail = await as(admin).get(`${users()}?q=SEARCHABLE.one`);
    expect(byEmail.body.total).toBe(1);
    const wildcard = await as(admin).get(`${users()}?q=%25`);
    expect(wildcard.body.total).toBe(0);
    const page = await as(admin).get(`${users()}?limit=1&offset=1`);
    expect(page.body.items).toHaveLength(1);
    await as(admin).get(`${users()}?limit=0`).expect(400);
    await as(admin).get(`${users()}/${created.body.id}`).expect(200);
    await as(admin).get(`${users()}/00000000-0000-4000-8000-000000000000`).expect(404);
  });

  it('never lets an admin grant superadmin, nor touch a superadmin', async () => {
    const grant = await as(admin).post(users(), { email: 'x@example.com', password: 'a good password', roles: ['superadmin'] });
    expect(grant.status).toBe(403);
    expect(grant.body.code).toBe('insufficient_role');
    const target = await createUser(t, admin, tenant, ['user']);
    const promote = await as(admin).patch(`${users()}/${target.id}`, { roles: ['superadmin'] });
    expect(promote.status).toBe(403);
    const defaultTenant = claimsOf(superadmin.access_token).tid as string;
    const defaultAdmin = await createUser(t, superadmin, { id: defaultTenant, slug: 'default', admin: { email: '', password: '' } }, ['admin']);
    const defaultAdminTokens = await login(t, defaultAdmin);
    const superadminId = claimsOf(superadmin.access_token).sub as string;
    expect((await as(defaultAdminTokens).patch(`/tenants/${defaultTenant}/users/${superadminId}`, { active: false })).status).toBe(403);
    expect((await as(defaultAdminTokens).delete(`/tenants/${defaultTenant}/users/${superadminId}`)).status).toBe(403);
  });

  it('refuses fields it does not know (mass assignment) and roles it does not know', async () => {
    for (const body of [
      { email: 'y@example.com', password: 'a good password', roles: ['user'], tenantId: tenant.id },
      { email: 'y@example.com', password: 'a good password', roles: ['owner'] },
      { email: 'y@example.com', password: 'a good password', roles: [] },
    ]) {
      const response = await as(admin).post(users(), body);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_failed');
    }
  });

  it('ends a user’s sessions when their roles change or they are disabled, on the very next request', async () => {
    const target = await createUser(t, admin, tenant, ['user']);
    const before = await login(t, target);
    await as(admin).patch(`${users()}/${target.id}`, { roles: ['user', 'moderator'] }).expect(200);
    const refused = await t.api().get('/users/me').set('Authorization', `Bearer ${before.access_token}`);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('token_revoked');
    const after = await login(t, target);
    expect(after.scope).toBe('profile users:read');
    await as(admin).patch(`${users()}/${target.id}`, { name: 'Renamed only' }).expect(200);
    await t.api().get('/users/me').set('Authorization', `Bearer ${after.access_token}`).expect(200);
    await as(admin).patch(`${users()}/${target.id}`, { active: false }).expect(200);
    await t.api().get('/users/me').set('Authorization', `Bearer ${after.access_token}`).expect(401);
    const signIn = await t.api().post('/auth/login').send({ email: target.email, password: target.password, tenant: target.tenant });
    expect(signIn.status).toBe(403);
    expect(signIn.body.code).toBe('account_disabled');
  });

  it('revokes a user’s sessions on request, and deletes users (their tokens stop at once)', async () => {
    const target = await createUser(t, admin, tenant, ['user']);
    const first = await login(t, target);
    await as(admin).post(`${users()}/${target.id}/revoke-sessions`).expect(204);
    await t.api().get('/users/me').set('Authorization', `Bearer ${first.access_token}`).expect(401);
    const second = await login(t, target);
    await as(admin).delete(`${users()}/${target.id}`).expect(204);
    await t.api().get('/users/me').set('Authorization', `Bearer ${second.access_token}`).expect(401);
    await as(admin).get(`${users()}/${target.id}`).expect(404);
    await as(admin).delete(`${users()}/${target.id}`).expect(404);
  });

  it('never leaves a tenant without an active admin', async () => {
    const lonely = await createTenant(t, superadmin);
    const lonelyAdmin = await login(t, { ...lonely.admin, tenant: lonely.slug });
    const me = claimsOf(lonelyAdmin.access_token).sub as string;
    for (const change of [{ active: false }, { roles: ['user'] }]) {
      const response = await as(lonelyAdmin).patch(`/tenants/${lonely.id}/users/${me}`, change);
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('conflict');
    }
    expect((await as(lonelyAdmin).delete(`/tenants/${lonely.id}/users/${me}`)).status).toBe(409);
    // With a second admin, either may go, but not both at once.
    const second = await createUser(t, lonelyAdmin, lonely, ['admin']);
    const [a, b] = await Promise.all([
      as(superadmin).patch(`/tenants/${lonely.id}/users/${me}`, { roles: ['user'] }),
      as(superadmin).patch(`/tenants/${lonely.id}/users/${second.id}`, { roles: ['user'] }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
  });

  it('does not let an admin of one tenant reach another tenant’s users, nor a self-registered user', async () => {
    const other = await createTenant(t, superadmin);
    const response = await as(admin).get(`/tenants/${other.id}/users`);
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('tenant_mismatch');
    const self = await registerUser(t);
    expect((await as(admin).get(`${users()}/${self.id}`)).status).toBe(404);
  });
});
