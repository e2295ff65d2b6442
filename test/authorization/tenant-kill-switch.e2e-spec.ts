import { setTimeout as sleep } from 'node:timers/promises';
import { login, type TokenPair } from '../support/factories.js';
import { clientToken, createClient, createTenant, createUser, superadminTokens, type Tenant } from '../support/principals.js';
import { createTestDatabase, startTestApp, type TestApp } from '../support/test-app.js';

describe('Disabling a tenant ends its sessions and tokens for good', () => {
  let a: TestApp;
  let b: TestApp;
  let superadmin: TokenPair;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    a = await startTestApp({}, databaseUrl);
    b = await startTestApp({}, databaseUrl);
    superadmin = await superadminTokens(a);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  const setActive = (tenant: Tenant, active: boolean) => a.api().patch(`/tenants/${tenant.id}`).set('Authorization', `Bearer ${superadmin.access_token}`).send({ active }).expect(200);
  const introspect = (t: TestApp, token: string) =>
    t.api().post('/auth/introspect').set('Authorization', `Bearer ${superadmin.access_token}`).type('form').send({ token });

  it('refuses every old token and refresh token, on every instance, while disabled and after it is enabled again', async () => {
    const tenant = await createTenant(a, superadmin);
    const admin = await login(a, { ...tenant.admin, tenant: tenant.slug });
    const member = await login(a, await createUser(a, admin, tenant, ['user']));
    const client = await createClient(a, admin, tenant, ['users:read']);
    const clientTokens = await clientToken(a, client);
    const oldAccess = [admin.access_token, member.access_token, clientTokens.access_token];
    const oldRefresh = [admin.refresh_token!, member.refresh_token!];

    await setActive(tenant, false);
    for (const t of [a, b]) {
      for (const token of oldAccess) {
        const response = await t.api().get(`/tenants/${tenant.id}/users`).set('Authorization', `Bearer ${token}`);
        expect({ status: response.status, code: response.body.code }).toEqual({ status: 401, code: 'tenant_disabled' });
        expect((await introspect(t, token)).body).toEqual({ active: false });
      }
      for (const token of oldRefresh) {
        expect((await introspect(t, token)).body).toEqual({ active: false });
        expect((await t.api().post('/auth/refresh').send({ refresh_token: token })).status).toBe(401);
      }
    }
    expect(await a.sql(`SELECT count(*)::int AS open FROM sessions WHERE tenant_id = $1 AND revoked_at IS NULL`, [tenant.id])).toEqual([{ open: 0 }]);

    await setActive(tenant, true);
    for (const t of [a, b]) {
      for (const token of oldAccess) {
        const response = await t.api().get(`/tenants/${tenant.id}/users`).set('Authorization', `Bearer ${token}`);
        expect({ status: response.status, code: response.body.code }).toEqual({ status: 401, code: 'token_revoked' });
        expect((await introspect(t, token)).body).toEqual({ active: false });
      }
      for (const token of oldRefresh) {
        expect((await introspect(t, token)).body).toEqual({ active: false });
        const response = await t.api().post('/auth/refresh').send({ refresh_token: token });
        expect({ status: response.status, code: response.body.code }).toEqual({ status: 401, code: 'refresh_token_invalid' });
      }
    }

    // `iat` has one-second resolution: tokens of the second of the disable count as old ones.
    await sleep(1100);
    const again = await login(b, { ...tenant.admin, tenant: tenant.slug });
    await a.api().get(`/tenants/${tenant.id}/users`).set('Authorization', `Bearer ${again.access_token}`).expect(200);
    const newClientToken = await clientToken(b, client);
    await a.api().get(`/tenants/${tenant.id}/users`).set('Authorization', `Bearer ${newClientToken.access_token}`).expect(200);
  });

  it('keeps an instance that starts later refusing the old tokens (the state is in the database)', async () => {
    const tenant = await createTenant(a, superadmin);
    const admin = await login(a, { ...tenant.admin, tenant: tenant.slug });
    await setActive(tenant, false);
    await setActive(tenant, true);
    const later = await startTestApp({}, a.databaseUrl);
    try {
      const response = await later.api().get(`/tenants/${tenant.id}/users`).set('Authorization', `Bearer ${admin.access_token}`);
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 401, code: 'token_revoked' });
    } finally {
      await later.close();
    }
  });
});
