import { randomUUID } from 'node:crypto';
import { CLIENT_SCOPES, type ContractRole, type ContractScope, ROLE_SCOPES, scopesOfRoles, TENANT_ROLES } from '../support/contract-roles-and-scopes.js';
import { login, type TokenPair, uniqueEmail } from '../support/factories.js';
import { clientToken, createClient, createTenant, superadminTokens, type Tenant } from '../support/principals.js';
import { SUPERADMIN, startTestApp, type TestApp } from '../support/test-app.js';

/** The scopes an admin's token may hold (the contract's table): each is a way to narrow it. */
const ADMIN_SCOPES = ROLE_SCOPES.admin;

describe('A caller never grants more than its own token holds', () => {
  let t: TestApp;
  let superadmin: TokenPair;
  let tenant: Tenant;
  let admin: TokenPair;
  let targetId: string;

  beforeAll(async () => {
    t = await startTestApp();
    superadmin = await superadminTokens(t);
    tenant = await createTenant(t, superadmin);
    admin = await login(t, { ...tenant.admin, tenant: tenant.slug });
    const target = await t.api().post(`/tenants/${tenant.id}/users`).set('Authorization', `Bearer ${admin.access_token}`).send({ email: uniqueEmail(), password: `pw-${randomUUID()}`, roles: ['user'] });
    targetId = target.body.id;
  });
  afterAll(() => t.close());

  const as = (tokens: { access_token: string }) => ({
    createClient: (scopes: readonly ContractScope[]) => t.api().post(`/tenants/${tenant.id}/clients`).set('Authorization', `Bearer ${tokens.access_token}`).send({ name: `c-${randomUUID().slice(0, 6)}`, scopes }),
    createUser: (roles: ContractRole[]) =>
      t.api().post(`/tenants/${tenant.id}/users`).set('Authorization', `Bearer ${tokens.access_token}`).send({ email: uniqueEmail(), password: `pw-${randomUUID()}`, roles }),
    setRoles: (roles: ContractRole[]) => t.api().patch(`/tenants/${tenant.id}/users/${targetId}`).set('Authorization', `Bearer ${tokens.access_token}`).send({ roles }),
  });

  /** Every grant each route can make, with the scopes it gives away. */
  const GRANTS: Array<{ route: string; scopes: readonly ContractScope[]; attempt: (caller: ReturnType<typeof as>) => ReturnType<ReturnType<typeof as>['createClient']> }> = [
    ...CLIENT_SCOPES.map((scope) => ({ route: `POST clients {scopes: [${scope}]}`, scopes: [scope], attempt: (caller: ReturnType<typeof as>) => caller.createClient([scope]) })),
    ...TENANT_ROLES.map((role) => ({ route: `POST users {roles: [${role}]}`, scopes: scopesOfRoles([role]), attempt: (caller: ReturnType<typeof as>) => caller.createUser([role]) })),
    ...TENANT_ROLES.map((role) => ({ route: `PATCH users/:userId {roles: [${role}]}`, scopes: scopesOfRoles([role]), attempt: (caller: ReturnType<typeof as>) => caller.setRoles([role]) })),
  ];

  it.each(ADMIN_SCOPES)('an admin token narrowed to %s grants nothing outside it, on every granting route', async (scope) => {
    const narrowed = await login(t, { ...tenant.admin, tenant: tenant.slug, scope });
    expect(narrowed.scope).toBe(scope);
    const outcomes: string[] = [];
    for (const grant of GRANTS) {
      const response = await grant.attempt(as(narrowed));
      const within = grant.scopes.every((granted) => granted === scope);
      if (response.status < 300 && !within) outcomes.push(`${grant.route}: ${response.status}, although it gives ${grant.scopes.join(' ')}`);
      if (response.status >= 500) outcomes.push(`${grant.route}: ${response.status}`);
    }
    expect(outcomes).toEqual([]);
  });

  it('still lets a token grant what it holds', async () => {
    const narrowed = await login(t, { ...tenant.admin, tenant: tenant.slug, scope: 'clients:write users:read' });
    expect((await as(narrowed).createClient(['users:read'])).status).toBe(201);
    const refused = await as(narrowed).createClient(['users:read', 'users:write', 'tokens:introspect']);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'insufficient_scope', message: expect.stringContaining('users:write tokens:introspect') });
    expect((await as(admin).createUser(['admin'])).status).toBe(201);
    expect((await as(admin).createClient([...CLIENT_SCOPES])).status).toBe(201);
  });

  it('holds for API clients: clients:write cannot mint a wider client, users:write cannot mint an admin', async () => {
    const minter = await clientToken(t, await createClient(t, admin, tenant, ['clients:write']));
    const wider = await as(minter).createClient([...CLIENT_SCOPES]);
    expect(wider.status).toBe(403);
    expect(wider.body.code).toBe('insufficient_scope');
    expect((await as(minter).createClient(['clients:write'])).status).toBe(201);

    const userWriter = await clientToken(t, await createClient(t, admin, tenant, ['users:write']));
    const email = uniqueEmail('would-be-admin');
    const created = await t.api().post(`/tenants/${tenant.id}/users`).set('Authorization', `Bearer ${userWriter.access_token}`).send({ email, password: 'a long enough password', roles: ['admin'] });
    expect(created.status).toBe(403);
    expect(await t.sql('SELECT 1 FROM users WHERE email = $1', [email])).toEqual([]);
    expect((await as(userWriter).setRoles(['admin'])).status).toBe(403);
  });

  it('holds for a superadmin too: a token narrowed to tenants:write cannot create a tenant with its admin', async () => {
    const narrowed = await login(t, { ...SUPERADMIN, scope: 'tenants:write' });
    const slug = `n-${randomUUID().slice(0, 8)}`;
    const refused = await t.api().post('/tenants').set('Authorization', `Bearer ${narrowed.access_token}`).send({ slug, name: slug, admin: { email: uniqueEmail(), password: 'a long enough password' } });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('insufficient_scope');
    expect(await t.sql('SELECT 1 FROM tenants WHERE slug = $1', [slug])).toEqual([]);
  });

  describe('an empty grant is refused (RFC 6749 invalid_scope), not answered with scope ""', () => {
    it('client_credentials asking only for scopes the client lacks', async () => {
      const client = await createClient(t, admin, tenant, ['users:read']);
      const response = await t.api().post('/auth/token').auth(client.clientId, client.clientSecret).type('form').send({ grant_type: 'client_credentials', scope: 'users:write tenants:write' });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: 'invalid_scope', error_description: expect.any(String) });
      const partial = await t.api().post('/auth/token').auth(client.clientId, client.clientSecret).type('form').send({ grant_type: 'client_credentials', scope: 'users:read users:write' });
      expect(partial.status).toBe(200);
      expect(partial.body.scope).toBe('users:read');
    });

    it('the password grant and /auth/login asking only for scopes the roles do not allow', async () => {
      const grant = await t.api().post('/auth/token').type('form').send({ grant_type: 'password', username: tenant.admin.email, password: tenant.admin.password, tenant: tenant.slug, scope: 'tenants:write' });
      expect(grant.status).toBe(400);
      expect(grant.body).toEqual({ error: 'invalid_scope', error_description: expect.any(String) });
      const json = await t.api().post('/auth/login').send({ ...tenant.admin, tenant: tenant.slug, scope: 'tenants:read' });
      expect(json.status).toBe(400);
      expect(json.body).toMatchObject({ statusCode: 400, code: 'invalid_scope' });
    });
  });
});
