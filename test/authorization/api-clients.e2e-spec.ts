import { createHash } from 'node:crypto';
import { login, signedInUser, type TokenPair } from '../support/factories.js';
import { claimsOf } from '../support/forge.js';
import { clientToken, createClient, createTenant, superadminTokens, type Tenant } from '../support/principals.js';
import { verifyWithJwks } from '../support/jwks-verification.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('API clients and client_credentials', () => {
  let t: TestApp;
  let tenant: Tenant;
  let other: Tenant;
  let admin: TokenPair;

  beforeAll(async () => {
    t = await startTestApp();
    const superadmin = await superadminTokens(t);
    tenant = await createTenant(t, superadmin);
    other = await createTenant(t, superadmin);
    admin = await login(t, { ...tenant.admin, tenant: tenant.slug });
  });
  afterAll(() => t.close());

  const bearer = (tokens: TokenPair) => `Bearer ${tokens.access_token}`;
  const grant = (body: Record<string, string>) => t.api().post('/auth/token').type('form').send({ grant_type: 'client_credentials', ...body });

  it('shows the secret once and keeps only its hash', async () => {
    const response = await t.api().post(`/tenants/${tenant.id}/clients`).set('Authorization', bearer(admin)).send({ name: 'billing', scopes: ['users:read'] });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      clientId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      tenantId: tenant.id,
      name: 'billing',
      type: 'confidential',
      scopes: ['users:read'],
      createdAt: expect.any(String),
      clientSecret: expect.stringMatching(/^pcs_[A-Za-z0-9_-]{43}$/),
    });
    const [row] = await t.sql<{ secret_hash: Buffer }>('SELECT secret_hash FROM api_clients WHERE id = $1', [response.body.clientId]);
    expect(row.secret_hash.equals(createHash('sha256').update(response.body.clientSecret).digest())).toBe(true);
    const list = await t.api().get(`/tenants/${tenant.id}/clients`).set('Authorization', bearer(admin));
    expect(list.body.items).toEqual([expect.objectContaining({ clientId: response.body.clientId })]);
    expect(JSON.stringify(list.body)).not.toContain('pcs_');
  });

  it('refuses scopes a client may not hold', async () => {
    for (const scopes of [['tenants:write'], ['profile'], ['nonsense'], []]) {
      const response = await t.api().post(`/tenants/${tenant.id}/clients`).set('Authorization', bearer(admin)).send({ name: 'x', scopes });
      expect(response.status).toBe(400);
    }
  });

  it('issues a JWKS-verifiable token for the client by HTTP Basic or in the body, without refresh token or session', async () => {
    const client = await createClient(t, admin, tenant, ['users:read', 'tokens:introspect']);
    const byBasic = await t.api().post('/auth/token').auth(client.clientId, client.clientSecret).type('form').send({ grant_type: 'client_credentials' });
    const byBody = await grant({ client_id: client.clientId, client_secret: client.clientSecret, scope: 'users:read users:write' });
    expect(byBasic.status).toBe(200);
    expect(byBasic.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 900, scope: 'users:read tokens:introspect' });
    expect(byBody.body.scope).toBe('users:read');
    const jwks = (await t.api().get('/.well-known/jwks.json')).body;
    const payload = verifyWithJwks(byBasic.body.access_token, jwks, { issuer: t.config.jwt.issuer, algorithms: ['ES256'] });
    expect(payload).toMatchObject({ sub: `client:${client.clientId}`, tid: tenant.id, roles: [] });
    expect(payload).not.toHaveProperty('sid');
  });

  it('lets the client do what its scopes allow in its own tenant, and nothing else', async () => {
    const client = await createClient(t, admin, tenant, ['users:read']);
    const tokens = await clientToken(t, client);
    await t.api().get(`/tenants/${tenant.id}/users`).set('Authorization', bearer(tokens)).expect(200);
    const cases: Array<[string, string, number, string]> = [
      ['post', `/tenants/${tenant.id}/users`, 403, 'insufficient_scope'],
      ['get', `/tenants/${other.id}/users`, 403, 'tenant_mismatch'],
      ['get', '/users/me', 403, 'insufficient_scope'],
      ['get', '/tenants', 403, 'insufficient_scope'],
      ['get', `/tenants/${tenant.id}/clients`, 403, 'insufficient_scope'],
    ];
    for (const [method, path, status, code] of cases) {
      const response = await t.api()[method as 'get' | 'post'](path).set('Authorization', bearer(tokens)).send({});
      expect({ path, status: response.status, code: response.body.code }).toEqual({ path, status, code });
    }
  });

  it('answers a wrong secret, an unknown client and a malformed id alike: 401 invalid_client', async () => {
    const client = await createClient(t, admin, tenant, ['users:read']);
    for (const [id, secret] of [
      [client.clientId, `${client.clientSecret}x`],
      ['00000000-0000-4000-8000-000000000000', client.clientSecret],
      ['not-a-uuid', client.clientSecret],
    ]) {
      const response = await t.api().post('/auth/token').auth(id, secret).type('form').send({ grant_type: 'client_credentials' });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' });
      expect(response.headers['www-authenticate']).toBe('Basic realm="portcullis"');
    }
    const both = await t.api().post('/auth/token').auth(client.clientId, client.clientSecret).type('form').send({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret });
    expect(both.body.error).toBe('invalid_request');
    expect((await grant({})).body.error).toBe('invalid_client');
  });

  it('deleting a client refuses its tokens on the next request and its credentials afterwards', async () => {
    const client = await createClient(t, admin, tenant, ['users:read']);
    const tokens = await clientToken(t, client);
    await t.api().delete(`/tenants/${tenant.id}/clients/${client.clientId}`).set('Authorization', bearer(admin)).expect(204);
    const refused = await t.api().get(`/tenants/${tenant.id}/users`).set('Authorization', bearer(tokens));
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('token_revoked');
    expect((await grant({ client_id: client.clientId, client_secret: client.clientSecret })).status).toBe(401);
    await t.api().delete(`/tenants/${tenant.id}/clients/${client.clientId}`).set('Authorization', bearer(admin)).expect(404);
  });

  it('does not let a client of another tenant be deleted from this one', async () => {
    const otherAdmin = await login(t, { ...other.admin, tenant: other.slug });
    const foreign = await createClient(t, otherAdmin, other, ['users:read']);
    await t.api().delete(`/tenants/${tenant.id}/clients/${foreign.clientId}`).set('Authorization', bearer(admin)).expect(404);
    await clientToken(t, foreign);
  });

  describe('POST /auth/introspect', () => {
    it('describes active tokens of the caller’s tenant, and reads others as inactive', async () => {
      const client = await createClient(t, admin, tenant, ['tokens:introspect']);
      const introspector = await clientToken(t, client);
      const introspect = (token: string) => t.api().post('/auth/introspect').set('Authorization', bearer(introspector)).type('form').send({ token });

      const ownUserTokens = await login(t, { ...tenant.admin, tenant: tenant.slug });
      const active = await introspect(ownUserTokens.access_token);
      expect(active.status).toBe(200);
      expect(active.body).toEqual({
        active: true,
        sub: claimsOf(ownUserTokens.access_token).sub,
        tid: tenant.id,
        scope: ownUserTokens.scope,
        exp: claimsOf(ownUserTokens.access_token).exp,
        iat: claimsOf(ownUserTokens.access_token).iat,
        jti: claimsOf(ownUserTokens.access_token).jti,
        token_type: 'Bearer',
        client_id: 'portcullis',
      });
      expect((await introspect(introspector.access_token)).body).toMatchObject({ active: true, client_id: client.clientId });
      expect((await introspect(ownUserTokens.refresh_token!)).body).toMatchObject({ active: true, token_type: 'refresh_token', tid: tenant.id });

      const foreign = await signedInUser(t);
      expect((await introspect(foreign.tokens.access_token)).body).toEqual({ active: false });
      expect((await introspect('garbage')).body).toEqual({ active: false });
      await t.api().post('/auth/logout').set('Authorization', bearer(ownUserTokens)).expect(204);
      expect((await introspect(ownUserTokens.access_token)).body).toEqual({ active: false });
      expect((await introspect(ownUserTokens.refresh_token!)).body).toEqual({ active: false });
    });

    it('needs tokens:introspect', async () => {
      const user = await signedInUser(t);
      const response = await t.api().post('/auth/introspect').set('Authorization', bearer(user.tokens)).send({ token: user.tokens.access_token });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('insufficient_scope');
    });
  });
});
