import type request from 'supertest';
import { login, registerUser, type TokenPair } from '../support/factories.js';
import { claimsOf } from '../support/forge.js';
import { clientToken, createClient, createTenant, createUser, superadminTokens, type Tenant } from '../support/principals.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The rules RFC 6749 sets for clients, as the token, revocation and introspection endpoints
 * apply them (issue 19): public and confidential clients, refresh tokens bound to their client,
 * revocation by the token's own client. The libraries' view is test/oauth/.
 */
describe('OAuth clients at the token, revocation and introspection endpoints', () => {
  let t: TestApp;
  let tenant: Tenant;
  let admin: TokenPair;
  let user: { email: string; password: string; id: string };
  let publicClientId: string;
  let confidential: { clientId: string; clientSecret: string };

  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  const token = (form: Record<string, string>, authorization?: string): request.Test => {
    const call = t.api().post('/auth/token').type('form');
    return (authorization ? call.set('Authorization', authorization) : call).send(form);
  };
  const revoke = (form: Record<string, string>, authorization?: string): request.Test => {
    const call = t.api().post('/auth/revoke').type('form');
    return (authorization ? call.set('Authorization', authorization) : call).send(form);
  };
  const me = (accessToken: string) => t.api().get('/users/me').set('Authorization', `Bearer ${accessToken}`);
  const passwordGrant = (extra: Record<string, string> = {}, authorization?: string) =>
    token({ grant_type: 'password', username: user.email, password: user.password, ...extra }, authorization);

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t, await superadminTokens(t));
    admin = await login(t, { ...tenant.admin, tenant: tenant.slug });
    user = await createUser(t, admin, tenant, ['user']);
    const created = await t.api().post(`/tenants/${tenant.id}/clients`).set('Authorization', `Bearer ${admin.access_token}`).send({ name: 'spa', type: 'public' }).expect(201);
    publicClientId = created.body.clientId as string;
    confidential = await createClient(t, admin, tenant, ['users:read']);
  });
  afterAll(() => t.close());

  describe('a public client', () => {
    it('is created without a secret, and cannot be given scopes of its own', async () => {
      const list = await t.api().get(`/tenants/${tenant.id}/clients`).set('Authorization', `Bearer ${admin.access_token}`).expect(200);
      expect(list.body.items).toContainEqual(expect.objectContaining({ clientId: publicClientId, type: 'public', scopes: [] }));
      const [row] = await t.sql<{ secret_hash: Buffer | null }>('SELECT secret_hash FROM api_clients WHERE id = $1', [publicClientId]);
      expect(row.secret_hash).toBeNull();
      const refused = await t.api().post(`/tenants/${tenant.id}/clients`).set('Authorization', `Bearer ${admin.access_token}`).send({ name: 'x', type: 'public', scopes: ['users:read'] });
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('validation_failed');
    });

    it('signs its users in by the password grant, naming itself: the tokens carry its client_id and auth_time', async () => {
      const response = await passwordGrant({ client_id: publicClientId }).expect(200);
      const claims = claimsOf(response.body.access_token);
      expect(claims).toMatchObject({ client_id: publicClientId, sub: user.id, tid: tenant.id, auth_time: expect.any(Number) });
      await me(response.body.access_token).expect(200);
    });

    it('refreshes only its own refresh tokens, keeping auth_time; another client, no client, and the JSON route are refused and change nothing', async () => {
      const first = (await passwordGrant({ client_id: publicClientId }).expect(200)).body as TokenPair;
      const refreshToken = first.refresh_token!;
      for (const [form, authorization] of [
        [{ grant_type: 'refresh_token', refresh_token: refreshToken }, undefined],
        [{ grant_type: 'refresh_token', refresh_token: refreshToken }, basic(confidential.clientId, confidential.clientSecret)],
      ] as const) {
        const refused = await token(form, authorization);
        expect(refused.status).toBe(400);
        expect(refused.body).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
      }
      const json = await t.api().post('/auth/refresh').send({ refresh_token: refreshToken });
      expect(json.status).toBe(401);
      expect(json.body.code).toBe('refresh_token_invalid');

      // None of that rotated the token, nor took it for reuse.
      const refreshed = await token({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: publicClientId }).expect(200);
      expect(claimsOf(refreshed.body.access_token)).toMatchObject({ client_id: publicClientId, auth_time: claimsOf(first.access_token).auth_time });
    });

    it('never gets a token of its own (client_credentials is unauthorized_client)', async () => {
      const response = await token({ grant_type: 'client_credentials', client_id: publicClientId });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('unauthorized_client');
    });

    it('revokes its own refresh token by naming itself, not another client’s', async () => {
      const own = (await passwordGrant({ client_id: publicClientId }).expect(200)).body as TokenPair;
      const firstParty = await login(t, { ...user, tenant: tenant.slug });
      const refused = await revoke({ token: firstParty.refresh_token!, client_id: publicClientId });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('unauthorized_client');
      await me(firstParty.access_token).expect(200);

      await revoke({ token: own.refresh_token!, client_id: publicClientId }).expect(200);
      expect((await me(own.access_token)).body.code).toBe('token_revoked');
      expect((await token({ grant_type: 'refresh_token', refresh_token: own.refresh_token!, client_id: publicClientId })).body.error).toBe('invalid_grant');
    });
  });

  describe('a confidential client', () => {
    it('must authenticate: its id alone, or a wrong secret, is invalid_client with a Basic challenge', async () => {
      for (const response of [
        await passwordGrant({ client_id: confidential.clientId }),
        await passwordGrant({}, basic(confidential.clientId, 'wrong')),
        await token({ grant_type: 'client_credentials', client_id: confidential.clientId }),
      ]) {
        expect(response.status).toBe(401);
        expect(response.body.error).toBe('invalid_client');
        expect(response.headers['www-authenticate']).toMatch(/^Basic /);
      }
    });

    it('signs in users of its own tenant only', async () => {
      const stranger = await registerUser(t);
      const response = await token({ grant_type: 'password', username: stranger.email, password: stranger.password, tenant: 'default' }, basic(confidential.clientId, confidential.clientSecret));
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_grant');
    });

    it('cannot refresh a refresh token issued to the service’s own sign-ins', async () => {
      const firstParty = await login(t, { ...user, tenant: tenant.slug });
      const refused = await token({ grant_type: 'refresh_token', refresh_token: firstParty.refresh_token! }, basic(confidential.clientId, confidential.clientSecret));
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('invalid_grant');
      await t.api().post('/auth/refresh').send({ refresh_token: firstParty.refresh_token }).expect(200);
    });

    it('revokes only its own tokens; without client authentication only the service’s own tokens go', async () => {
      const own = await clientToken(t, confidential);
      const other = await createClient(t, admin, tenant, ['users:read']);
      const others = await clientToken(t, other);

      const refused = await revoke({ token: others.access_token }, basic(confidential.clientId, confidential.clientSecret));
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('unauthorized_client');
      expect((await revoke({ token: others.access_token })).body.error).toBe('unauthorized_client');
      await t.api().get(`/tenants/${tenant.id}/users`).set('Authorization', `Bearer ${others.access_token}`).expect(200);

      await revoke({ token: own.access_token, client_id: confidential.clientId, client_secret: confidential.clientSecret }).expect(200);
      expect((await t.api().get(`/tenants/${tenant.id}/users`).set('Authorization', `Bearer ${own.access_token}`)).body.code).toBe('token_revoked');

      const firstParty = await login(t, { ...user, tenant: tenant.slug });
      await revoke({ token: firstParty.refresh_token! }).expect(200);
      expect((await me(firstParty.access_token)).body.code).toBe('token_revoked');
    });

    it('introspects by its own credentials when its scopes hold tokens:introspect, and only then', async () => {
      const introspector = await createClient(t, admin, tenant, ['tokens:introspect']);
      const userTokens = await login(t, { ...user, tenant: tenant.slug });
      const byBasic = await t.api().post('/auth/introspect').set('Authorization', basic(introspector.clientId, introspector.clientSecret)).type('form').send({ token: userTokens.access_token });
      expect(byBasic.status).toBe(200);
      expect(byBasic.body).toMatchObject({ active: true, sub: user.id, client_id: 'portcullis', tid: tenant.id });
      const byPost = await t
        .api()
        .post('/auth/introspect')
        .type('form')
        .send({ token: userTokens.refresh_token!, client_id: introspector.clientId, client_secret: introspector.clientSecret, unknown_parameter: 'ignored' });
      expect(byPost.body).toMatchObject({ active: true, token_type: 'refresh_token', client_id: 'portcullis' });

      const withoutScope = await t.api().post('/auth/introspect').set('Authorization', basic(confidential.clientId, confidential.clientSecret)).type('form').send({ token: userTokens.access_token });
      expect(withoutScope.status).toBe(403);
      expect(withoutScope.body.code).toBe('insufficient_scope');
      const wrongSecret = await t.api().post('/auth/introspect').set('Authorization', basic(introspector.clientId, 'wrong')).type('form').send({ token: userTokens.access_token });
      expect(wrongSecret.status).toBe(401);
      expect(wrongSecret.body.error).toBe('invalid_client');
      expect(wrongSecret.headers['www-authenticate']).toMatch(/^Basic /);
      const publicIntrospector = await t.api().post('/auth/introspect').type('form').send({ token: userTokens.access_token, client_id: publicClientId });
      expect(publicIntrospector.status).toBe(401);
    });

    it('is refused at every other route by its id and secret: they take tokens only', async () => {
      const introspector = await createClient(t, admin, tenant, ['tokens:introspect', 'users:read']);
      const response = await t.api().get(`/tenants/${tenant.id}/users`).set('Authorization', basic(introspector.clientId, introspector.clientSecret));
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('token_missing');
    });
  });
});
