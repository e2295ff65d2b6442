import { login } from '../support/factories.js';
import { clientToken, createClient, createUser, superadminTokens, type Tenant } from '../support/principals.js';
import { SUPERADMIN, startTestApp, type TestApp } from '../support/test-app.js';

describe('Only a superadmin acts on a superadmin, and one always remains', () => {
  let t: TestApp;
  let root: { id: string; tenantId: string };
  let defaultTenant: Tenant;

  beforeAll(async () => {
    t = await startTestApp();
    const [row] = await t.sql<{ id: string; tenant_id: string }>('SELECT id, tenant_id FROM users WHERE email = $1', [SUPERADMIN.email]);
    root = { id: row.id, tenantId: row.tenant_id };
    defaultTenant = { id: root.tenantId, slug: 'default', admin: SUPERADMIN };
  });
  afterAll(() => t.close());

  /** Every route that takes a user id and changes something, as (path, method, body). */
  const ACTING_ROUTES: Array<[string, 'post' | 'patch' | 'delete', object | undefined]> = [
    ['', 'patch', { name: 'Taken over' }],
    ['', 'delete', undefined],
    ['/revoke-sessions', 'post', undefined],
    ['/unlock', 'post', undefined],
  ];

  it.each(ACTING_ROUTES)('refuses a tenant admin and a client with users:write on %s (%s) of the superadmin', async (suffix, method, body) => {
    const superadmin = await superadminTokens(t);
    const admin = await login(t, await createUser(t, superadmin, defaultTenant, ['admin']));
    const client = await clientToken(t, await createClient(t, admin, defaultTenant, ['users:write']));
    for (const caller of [admin, client]) {
      let request = t.api()[method](`/tenants/${root.tenantId}/users/${root.id}${suffix}`).set('Authorization', `Bearer ${caller.access_token}`);
      if (body) request = request.send(body);
      const response = await request;
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 403, code: 'insufficient_role' });
    }
    // The superadmin is untouched: still signed in, still there, still named as before.
    await t.api().get('/users/me').set('Authorization', `Bearer ${superadmin.access_token}`).expect(200);
    expect(await t.sql('SELECT name, active FROM users WHERE id = $1', [root.id])).toEqual([{ name: 'Superadmin', active: true }]);
  });

  it('keeps the last active superadmin: no demoting, disabling or deleting it, until another exists', async () => {
    const superadmin = await superadminTokens(t);
    const self = (method: 'patch' | 'delete', body?: object) => {
      const request = t.api()[method](`/tenants/${root.tenantId}/users/${root.id}`).set('Authorization', `Bearer ${superadmin.access_token}`);
      return body ? request.send(body) : request;
    };
    for (const attempt of [self('patch', { roles: ['admin'] }), self('patch', { active: false }), self('delete')]) {
      const response = await attempt;
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 409, code: 'conflict' });
    }
    const second = await createUser(t, superadmin, defaultTenant, ['superadmin']);
    const secondTokens = await login(t, second);
    await self('patch', { roles: ['admin'] }).expect(200);
    // Now the second is the last one.
    const demoteSecond = await t.api().patch(`/tenants/${root.tenantId}/users/${second.id}`).set('Authorization', `Bearer ${secondTokens.access_token}`).send({ active: false });
    expect(demoteSecond.status).toBe(409);
    // Restore the bootstrap superadmin for the other cases.
    await t.sql(`UPDATE users SET roles = '{superadmin}' WHERE id = $1`, [root.id]);
  });

});
