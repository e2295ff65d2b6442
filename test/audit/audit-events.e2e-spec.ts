import { randomUUID } from 'node:crypto';
import { Housekeeping } from '../../src/ops/housekeeping/housekeeping.service.js';
import { login, registerUser, type TokenPair, uniqueEmail } from '../support/factories.js';
import { claimsOf } from '../support/forge.js';
import { clientToken, createClient, createTenant, createUser, superadminTokens, type Tenant } from '../support/principals.js';
import { SUPERADMIN, startTestApp, type TestApp } from '../support/test-app.js';

interface AuditEventBody {
  id: string;
  tenantId: string | null;
  type: string;
  actorId: string | null;
  subjectId: string | null;
  ip: string | null;
  userAgent: string | null;
  at: string;
  data: Record<string, unknown>;
}

const USER_AGENT = 'audit-suite/1.0';

describe('Audit events', () => {
  let t: TestApp;
  let superadmin: TokenPair;
  let tenant: Tenant;
  let admin: TokenPair;
  /** Every secret this suite hands the service: none may ever show up in an event. */
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES: '3', REFRESH_REUSE_GRACE: '0' });
    superadmin = await superadminTokens(t);
    tenant = await createTenant(t, superadmin);
    admin = await login(t, { ...tenant.admin, tenant: tenant.slug });
    secrets.push(tenant.admin.password, superadmin.access_token, superadmin.refresh_token!, admin.access_token, admin.refresh_token!);
  });
  afterAll(() => t.close());

  const bearer = (tokens: { access_token: string }) => `Bearer ${tokens.access_token}`;

  async function tenantEvents(query: Record<string, string | number> = {}, tokens: TokenPair = admin, tenantId = tenant.id) {
    const response = await t.api().get(`/tenants/${tenantId}/audit-events`).query(query).set('Authorization', bearer(tokens));
    expect(response.status).toBe(200);
    return response.body as { items: AuditEventBody[]; total: number };
  }

  async function platformEvents(query: Record<string, string | number> = {}) {
    const response = await t.api().get('/audit-events').query(query).set('Authorization', bearer(superadmin));
    expect(response.status).toBe(200);
    return response.body as { items: AuditEventBody[]; total: number };
  }

  /** The newest events of a type about a subject, by the superadmin's view. */
  async function eventsOf(type: string, subjectId: string): Promise<AuditEventBody[]> {
    return (await platformEvents({ type, subjectId, limit: 100 })).items;
  }

  async function member(roles: string[] = ['user']) {
    const user = await createUser(t, admin, tenant, roles);
    secrets.push(user.password);
    return user;
  }

  describe('each type is recorded by the flow that makes its change', () => {
    it('login.succeeded, with where it came from', async () => {
      const user = await member();
      const tokens = await t.api().post('/auth/login').set('User-Agent', USER_AGENT).send({ email: user.email, password: user.password, tenant: tenant.slug }).expect(200);
      secrets.push(tokens.body.access_token, tokens.body.refresh_token);
      const [event] = await eventsOf('login.succeeded', user.id);
      expect(event).toMatchObject({ tenantId: tenant.id, actorId: user.id, subjectId: user.id, ip: expect.any(String), userAgent: USER_AGENT });
      expect(event.data).toMatchObject({ sessionId: claimsOf(tokens.body.access_token).sid });
    });

    it('login.failed for a known account names the user, for an unknown one the email', async () => {
      const user = await member();
      await t.api().post('/auth/login').send({ email: user.email, password: 'not the password', tenant: tenant.slug }).expect(401);
      expect((await eventsOf('login.failed', user.id))[0]).toMatchObject({ tenantId: tenant.id, subjectId: user.id, data: { reason: 'invalid_credentials' } });
      const nobody = uniqueEmail('nobody');
      await t.api().post('/auth/login').send({ email: nobody, password: 'not the password', tenant: tenant.slug }).expect(401);
      const unknown = (await tenantEvents({ type: 'login.failed' })).items.find((event) => event.data.email === nobody);
      expect(unknown).toMatchObject({ tenantId: tenant.id, subjectId: null, actorId: null });
    });

    it('login.failed keeps no email field that is not shaped like an email: a password typed there by mistake', async () => {
      const typedInTheEmailField = `Tr0ub4dor&3-${randomUUID()}`;
      await t.api().post('/auth/login').send({ email: typedInTheEmailField, password: 'not the password', tenant: tenant.slug }).expect(401);
      const failed = (await tenantEvents({ type: 'login.failed' })).items.filter((event) => event.subjectId === null);
      expect(failed.length).toBeGreaterThan(0);
      expect(JSON.stringify(failed)).not.toContain(typedInTheEmailField.toLowerCase());
      expect(JSON.stringify(failed)).not.toContain(typedInTheEmailField);
    });

    it('login.locked when a failure starts a lockout (and only then)', async () => {
      const user = await member();
      for (let i = 0; i < 3; i++) await t.api().post('/auth/login').send({ email: user.email, password: `wrong ${i}`, tenant: tenant.slug }).expect(401);
      await t.api().post('/auth/login').send({ email: user.email, password: user.password, tenant: tenant.slug }).expect(429);
      expect(await eventsOf('login.failed', user.id)).toHaveLength(3);
      expect(await eventsOf('login.locked', user.id)).toEqual([expect.objectContaining({ tenantId: tenant.id, data: expect.objectContaining({ failures: 3 }) })]);
    });

    it('account.unlocked when an admin lifts a lock', async () => {
      const user = await member();
      for (let i = 0; i < 3; i++) await t.api().post('/auth/login').send({ email: user.email, password: `wrong ${i}`, tenant: tenant.slug });
      await t.api().post(`/tenants/${tenant.id}/users/${user.id}/unlock`).set('Authorization', bearer(admin)).expect(204);
      expect(await eventsOf('account.unlocked', user.id)).toEqual([expect.objectContaining({ actorId: claimsOf(admin.access_token).sub })]);
    });

    it('token.refreshed on a rotation, token.reuse_detected when a rotated token comes back', async () => {
      const user = await member();
      const tokens = await login(t, { ...user, tenant: tenant.slug });
      const rotated = await t.api().post('/auth/refresh').send({ refresh_token: tokens.refresh_token }).expect(200);
      secrets.push(tokens.refresh_token!, rotated.body.refresh_token, rotated.body.access_token);
      expect(await eventsOf('token.refreshed', user.id)).toEqual([expect.objectContaining({ data: { sessionId: claimsOf(tokens.access_token).sid } })]);
      await t.api().post('/auth/refresh').send({ refresh_token: tokens.refresh_token }).expect(401);
      expect(await eventsOf('token.reuse_detected', user.id)).toEqual([expect.objectContaining({ tenantId: tenant.id })]);
    });

    it('session.revoked with its reason: logout, session delete, RFC 7009, admin revoke', async () => {
      const user = await member();
      const credentials = { ...user, tenant: tenant.slug };
      const first = await login(t, credentials);
      await t.api().post('/auth/logout').set('Authorization', bearer(first)).expect(204);
      const second = await login(t, credentials);
      await t.api().delete(`/users/me/sessions/${claimsOf(second.access_token).sid as string}`).set('Authorization', bearer(second)).expect(204);
      const third = await login(t, credentials);
      await t.api().post('/auth/revoke').type('form').send({ token: third.refresh_token }).expect(200);
      await login(t, credentials);
      await t.api().post(`/tenants/${tenant.id}/users/${user.id}/revoke-sessions`).set('Authorization', bearer(admin)).expect(204);
      const reasons = (await eventsOf('session.revoked', user.id)).map((event) => event.data.reason);
      expect(reasons).toEqual(['admin_revoked', 'token_revoked', 'session_deleted', 'logout']);
    });

    it('user.logged_out_everywhere and user.password_changed', async () => {
      const user = await member();
      const tokens = await login(t, { ...user, tenant: tenant.slug });
      await t.api().post('/auth/logout-all').set('Authorization', bearer(tokens)).expect(204);
      expect(await eventsOf('user.logged_out_everywhere', user.id)).toHaveLength(1);
      const again = await login(t, { ...user, tenant: tenant.slug });
      const newPassword = `new-${randomUUID()}`;
      secrets.push(newPassword);
      await t.api().post('/auth/password').set('Authorization', bearer(again)).send({ currentPassword: user.password, newPassword }).expect(204);
      expect(await eventsOf('user.password_changed', user.id)).toEqual([expect.objectContaining({ actorId: user.id })]);
    });

    it('user.registered, user.created, user.updated (before and after), user.deleted', async () => {
      const registered = await registerUser(t);
      secrets.push(registered.password);
      expect(await eventsOf('user.registered', registered.id)).toEqual([expect.objectContaining({ actorId: registered.id, data: { email: registered.email, roles: ['user'] } })]);
      const created = await member(['moderator']);
      expect(await eventsOf('user.created', created.id)).toEqual([expect.objectContaining({ actorId: claimsOf(admin.access_token).sub, data: { email: created.email, roles: ['moderator'] } })]);
      await t.api().patch(`/tenants/${tenant.id}/users/${created.id}`).set('Authorization', bearer(admin)).send({ roles: ['user'], name: 'Renamed' }).expect(200);
      const [updated] = await eventsOf('user.updated', created.id);
      expect(updated.data).toEqual({ before: { roles: ['moderator'], name: null }, after: { roles: ['user'], name: 'Renamed' }, sessionsRevoked: 0 });
      const self = await login(t, { ...created, tenant: tenant.slug });
      await t.api().patch('/users/me').set('Authorization', bearer(self)).send({ name: 'Self-named' }).expect(200);
      expect((await eventsOf('user.updated', created.id))[0].data).toEqual({ before: { name: 'Renamed' }, after: { name: 'Self-named' } });
      await t.api().delete(`/tenants/${tenant.id}/users/${created.id}`).set('Authorization', bearer(admin)).expect(204);
      expect(await eventsOf('user.deleted', created.id)).toEqual([expect.objectContaining({ data: expect.objectContaining({ email: created.email }) })]);
    });

    it('client.created, client.token_issued, client.deleted', async () => {
      const client = await createClient(t, admin, tenant, ['users:read']);
      secrets.push(client.clientSecret);
      expect(await eventsOf('client.created', client.clientId)).toEqual([expect.objectContaining({ data: { name: expect.any(String), type: 'confidential', scopes: ['users:read'] } })]);
      const tokens = await clientToken(t, client);
      secrets.push(tokens.access_token);
      expect(await eventsOf('client.token_issued', client.clientId)).toEqual([
        expect.objectContaining({ actorId: `client:${client.clientId}`, data: { tokenId: claimsOf(tokens.access_token).jti, scope: 'users:read' } }),
      ]);
      await t.api().delete(`/tenants/${tenant.id}/clients/${client.clientId}`).set('Authorization', bearer(admin)).expect(204);
      expect(await eventsOf('client.deleted', client.clientId)).toHaveLength(1);
    });

    it('tenant.created and tenant.updated (before and after)', async () => {
      const another = await createTenant(t, superadmin);
      secrets.push(another.admin.password);
      expect(await eventsOf('tenant.created', another.id)).toEqual([expect.objectContaining({ tenantId: another.id, data: { slug: another.slug, name: another.slug, selfSignup: false } })]);
      await t.api().patch(`/tenants/${another.id}`).set('Authorization', bearer(superadmin)).send({ name: 'Renamed tenant', selfSignup: false }).expect(200);
      expect((await eventsOf('tenant.updated', another.id))[0].data).toEqual({ before: { name: another.slug }, after: { name: 'Renamed tenant' } });
    });

    it('key.rotated as a platform event (tenantId null) about the new kid', async () => {
      const rotated = await t.api().post('/keys/rotate').set('Authorization', bearer(superadmin)).expect(201);
      expect(await eventsOf('key.rotated', rotated.body.kid)).toEqual([expect.objectContaining({ tenantId: null, actorId: claimsOf(superadmin.access_token).sub })]);
    });
  });

  describe('reading the log', () => {
    it('pages newest first with a total, and filters by type, actor, subject and time', async () => {
      const user = await member();
      const tokens = await login(t, { ...user, tenant: tenant.slug });
      for (let i = 0; i < 3; i++) await t.api().patch('/users/me').set('Authorization', bearer(tokens)).send({ name: `Name ${i}` }).expect(200);
      const all = await tenantEvents({ subjectId: user.id, limit: 100 });
      expect(all.items.map((event) => event.type)).toEqual(['user.updated', 'user.updated', 'user.updated', 'login.succeeded', 'user.created']);
      expect(all.total).toBe(5);
      const times = all.items.map((event) => Date.parse(event.at));
      expect([...times].sort((x, y) => y - x)).toEqual(times);

      const page = await tenantEvents({ subjectId: user.id, limit: 2, offset: 1 });
      expect(page).toEqual({ items: all.items.slice(1, 3), total: 5 });
      expect((await tenantEvents({ subjectId: user.id, type: 'user.updated' })).total).toBe(3);
      expect((await tenantEvents({ actorId: user.id, limit: 100 })).items.every((event) => event.actorId === user.id)).toBe(true);
      expect((await tenantEvents({ actorId: user.id })).total).toBe(4);
      const middle = all.items[2].at;
      expect((await tenantEvents({ subjectId: user.id, since: middle })).items.map((event) => event.id)).toEqual(all.items.filter((event) => event.at >= middle).map((event) => event.id));
      expect((await tenantEvents({ subjectId: user.id, until: middle })).items.map((event) => event.id)).toEqual(all.items.filter((event) => event.at < middle).map((event) => event.id));
    });

    it('refuses bad filters with 400 validation_failed', async () => {
      const queries = [
        { type: 'no.such.type' },
        { since: 'yesterday' },
        { since: '2026-W01' },
        { until: '20260101T000000Z' },
        { since: '2026-01-01T00:00:00,5Z' },
        { actorId: 'a\u0000b' },
        { limit: 0 },
        { limit: 101 },
        { offset: -1 },
      ];
      for (const query of queries) {
        const response = await t.api().get(`/tenants/${tenant.id}/audit-events`).query(query).set('Authorization', bearer(admin));
        expect({ query, status: response.status, code: response.body.code }).toEqual({ query, status: 400, code: 'validation_failed' });
      }
    });

    it('shows a tenant admin only their tenant, and the superadmin everything', async () => {
      const other = await createTenant(t, superadmin);
      const otherAdmin = await login(t, { ...other.admin, tenant: other.slug });
      const mine = await tenantEvents({ limit: 100 });
      expect(mine.items.length).toBeGreaterThan(0);
      expect(mine.items.every((event) => event.tenantId === tenant.id)).toBe(true);
      const refused = await t.api().get(`/tenants/${tenant.id}/audit-events`).set('Authorization', bearer(otherAdmin));
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('tenant_mismatch');
      const refusedPlatform = await t.api().get('/audit-events').set('Authorization', bearer(admin));
      expect(refusedPlatform.status).toBe(403);
      const user = await member();
      const narrowed = await login(t, { ...user, tenant: tenant.slug });
      expect((await t.api().get(`/tenants/${tenant.id}/audit-events`).set('Authorization', bearer(narrowed))).status).toBe(403);

      const everything = await platformEvents({ limit: 100 });
      expect(everything.items.some((event) => event.tenantId === other.id)).toBe(true);
      expect((await platformEvents({ tenantId: other.id, limit: 100 })).items.every((event) => event.tenantId === other.id)).toBe(true);
    });
  });

  describe('a tenant’s view never shows a platform operator’s address or user agent', () => {
    const OPERATOR_AGENT = 'operator-console/7.0';
    const TENANT_AGENT = 'tenant-console/1.0';

    it('hides them on the superadmin’s user.created in the tenant, keeps them on the tenant admin’s own, and shows both to the superadmin', async () => {
      const byOperator = uniqueEmail('by-operator');
      const byAdmin = uniqueEmail('by-admin');
      const operatorCreated = await t
        .api()
        .post(`/tenants/${tenant.id}/users`)
        .set('Authorization', bearer(superadmin))
        .set('User-Agent', OPERATOR_AGENT)
        .send({ email: byOperator, password: `pw-${randomUUID()}`, roles: ['user'] })
        .expect(201);
      const adminCreated = await t
        .api()
        .post(`/tenants/${tenant.id}/users`)
        .set('Authorization', bearer(admin))
        .set('User-Agent', TENANT_AGENT)
        .send({ email: byAdmin, password: `pw-${randomUUID()}`, roles: ['user'] })
        .expect(201);
      const client = await createClient(t, admin, tenant, ['audit:read']);
      secrets.push(client.clientSecret);
      const auditClient = await clientToken(t, client, 'audit:read');

      for (const reader of [admin, auditClient]) {
        const seen = (await tenantEvents({ type: 'user.created', limit: 100 }, reader)).items;
        expect(seen.find((event) => event.subjectId === operatorCreated.body.id)).toMatchObject({ actorId: claimsOf(superadmin.access_token).sub, ip: null, userAgent: null });
        expect(seen.find((event) => event.subjectId === adminCreated.body.id)).toMatchObject({ ip: expect.any(String), userAgent: TENANT_AGENT });
      }
      for (const seen of [(await tenantEvents({ type: 'user.created', limit: 100 }, superadmin)).items, await eventsOf('user.created', operatorCreated.body.id)]) {
        expect(seen.find((event) => event.subjectId === operatorCreated.body.id)).toMatchObject({ ip: expect.any(String), userAgent: OPERATOR_AGENT });
      }
    });

    it('hides them on the tenant.created and first user.created the superadmin wrote, from the admin that tenant got', async () => {
      const first = { email: uniqueEmail('first-admin'), password: `pw-${randomUUID()}` };
      secrets.push(first.password);
      const slug = `t-${randomUUID().slice(0, 8)}`;
      const created = await t.api().post('/tenants').set('Authorization', bearer(superadmin)).set('User-Agent', OPERATOR_AGENT).send({ slug, name: 'Operator-made', admin: first }).expect(201);
      const tenantId = created.body.id as string;
      const firstAdmin = await login(t, { ...first, tenant: slug });

      const byOperator = (view: AuditEventBody[]) => view.filter((event) => ['tenant.created', 'user.created'].includes(event.type));
      const adminView = byOperator((await tenantEvents({ limit: 100 }, firstAdmin, tenantId)).items);
      expect(adminView.map((event) => [event.type, event.ip, event.userAgent]).sort()).toEqual([
        ['tenant.created', null, null],
        ['user.created', null, null],
      ]);
      for (const view of [(await tenantEvents({ limit: 100 }, superadmin, tenantId)).items, (await platformEvents({ tenantId, limit: 100 })).items]) {
        expect(byOperator(view).map((event) => [event.type, event.userAgent]).sort()).toEqual([
          ['tenant.created', OPERATOR_AGENT],
          ['user.created', OPERATOR_AGENT],
        ]);
        expect(byOperator(view).every((event) => typeof event.ip === 'string')).toBe(true);
      }
    });

    it('hides the superadmin’s own sign-ins, and failed ones against that account, from the admin of its tenant', async () => {
      const home = (await t.sql<{ id: string; slug: string }>("SELECT t.id, t.slug FROM tenants t JOIN users u ON u.tenant_id = t.id WHERE 'superadmin' = ANY(u.roles)"))[0];
      const homeAdmin = await createUser(t, superadmin, { id: home.id, slug: home.slug, admin: { email: '', password: '' } }, ['admin']);
      secrets.push(homeAdmin.password);
      const homeAdminTokens = await login(t, homeAdmin);
      const operator = String(claimsOf(superadmin.access_token).sub);
      const signedIn = await t.api().post('/auth/login').set('User-Agent', OPERATOR_AGENT).send({ email: SUPERADMIN.email, password: SUPERADMIN.password }).expect(200);
      secrets.push(signedIn.body.access_token, signedIn.body.refresh_token);
      await t.api().post('/auth/login').set('User-Agent', OPERATOR_AGENT).send({ email: SUPERADMIN.email, password: 'a mistyped password' }).expect(401);

      const seen = (await tenantEvents({ subjectId: operator, limit: 100 }, homeAdminTokens, home.id)).items;
      const ofThisTest = seen.filter((event) => ['login.succeeded', 'login.failed'].includes(event.type));
      expect(ofThisTest.length).toBeGreaterThanOrEqual(2);
      expect(ofThisTest.every((event) => event.ip === null && event.userAgent === null)).toBe(true);
      const platformView = (await platformEvents({ subjectId: operator, type: 'login.failed' })).items[0];
      expect(platformView).toMatchObject({ userAgent: OPERATOR_AGENT });
    });

    it('decides it as any writer inserts an event: an anonymous one about the superadmin’s account, or one by the CLI, counts as the operator’s', async () => {
      const home = (await t.sql<{ tenant_id: string; id: string }>("SELECT tenant_id, id FROM users WHERE 'superadmin' = ANY(roles)"))[0];
      await t.sql(
        `INSERT INTO audit_events (tenant_id, type, actor_id, subject_id, ip, user_agent, platform_operator_origin)
         VALUES ($1, 'user.updated', NULL, $2, '198.51.100.7', $3, false), ($4, 'user.updated', 'cli:operator', $2, 'cli', $3, false), ($4, 'user.updated', NULL, $5, '198.51.100.8', $3, true)`,
        [home.tenant_id, home.id, OPERATOR_AGENT, tenant.id, randomUUID()],
      );
      const rows = await t.sql<{ ip: string; platform_operator_origin: boolean }>('SELECT ip, platform_operator_origin FROM audit_events WHERE user_agent = $1 AND type = $2 ORDER BY ip', [OPERATOR_AGENT, 'user.updated']);
      expect(rows).toEqual([
        { ip: '198.51.100.7', platform_operator_origin: true },
        { ip: '198.51.100.8', platform_operator_origin: false },
        { ip: 'cli', platform_operator_origin: true },
      ]);
    });

    it('judges by who the actor was when the event was written: a user made superadmin later stays visible in what they did before', async () => {
      const user = await member();
      await t.api().post('/auth/login').set('User-Agent', TENANT_AGENT).send({ email: user.email, password: user.password, tenant: tenant.slug }).expect(200);
      await t.api().patch(`/tenants/${tenant.id}/users/${user.id}`).set('Authorization', bearer(superadmin)).send({ roles: ['superadmin'] }).expect(200);
      await t.api().post('/auth/login').set('User-Agent', OPERATOR_AGENT).send({ email: user.email, password: user.password, tenant: tenant.slug }).expect(200);

      const signIns = (await tenantEvents({ type: 'login.succeeded', subjectId: user.id }, admin)).items;
      expect(signIns.map((event) => event.userAgent)).toEqual([null, TENANT_AGENT]);
    });
  });

  describe('atomicity: a change and its event commit together or not at all', () => {
    it('leaves no event when the change rolls back', async () => {
      const before = (await tenantEvents({ type: 'user.updated' })).total;
      const [{ id: onlyAdmin }] = await t.sql<{ id: string }>(`SELECT id FROM users WHERE tenant_id = $1 AND 'admin' = ANY(roles)`, [tenant.id]);
      // Demoting the last admin is refused after the row was locked and read, inside the transaction.
      const refused = await t.api().patch(`/tenants/${tenant.id}/users/${onlyAdmin}`).set('Authorization', bearer(admin)).send({ roles: ['user'] });
      expect(refused.status).toBe(409);
      expect((await tenantEvents({ type: 'user.updated' })).total).toBe(before);
      const duplicate = await t.api().post('/tenants').set('Authorization', bearer(superadmin)).send({ slug: tenant.slug, name: 'x', admin: { email: uniqueEmail(), password: 'a long enough password' } });
      expect(duplicate.status).toBe(409);
      expect((await platformEvents({ type: 'tenant.created', limit: 100 })).items.filter((event) => event.data.slug === tenant.slug)).toHaveLength(1);
    });

    it('commits no change whose event cannot be written', async () => {
      const user = await member();
      const tokens = await login(t, { ...user, tenant: tenant.slug });
      await t.sql(`ALTER TABLE audit_events ADD CONSTRAINT refuse_for_test CHECK (type NOT IN ('user.updated', 'client.created', 'session.revoked')) NOT VALID`);
      try {
        expect((await t.api().patch('/users/me').set('Authorization', bearer(tokens)).send({ name: 'Never stored' })).status).toBe(500);
        expect((await t.api().post(`/tenants/${tenant.id}/clients`).set('Authorization', bearer(admin)).send({ name: 'never-stored', scopes: ['users:read'] })).status).toBe(500);
        expect((await t.api().post('/auth/logout').set('Authorization', bearer(tokens))).status).toBe(500);
      } finally {
        await t.sql('ALTER TABLE audit_events DROP CONSTRAINT refuse_for_test');
      }
      expect(await t.sql('SELECT name FROM users WHERE id = $1', [user.id])).toEqual([{ name: null }]);
      expect(await t.sql(`SELECT 1 FROM api_clients WHERE name = 'never-stored'`)).toEqual([]);
      expect(await t.sql('SELECT revoked_at FROM sessions WHERE id = $1', [claimsOf(tokens.access_token).sid])).toEqual([{ revoked_at: null }]);
      await t.api().get('/users/me').set('Authorization', bearer(tokens)).expect(200);
    });
  });

  it('never records a password, secret, token or hash', async () => {
    const rows = await t.sql<{ row: string }>('SELECT row_to_json(audit_events)::text AS row FROM audit_events');
    expect(rows.length).toBeGreaterThan(30);
    const everything = rows.map((row) => row.row).join('\n');
    for (const secret of secrets) expect({ found: everything.includes(secret), secret: secret.slice(0, 12) }).toEqual({ found: false, secret: secret.slice(0, 12) });
    expect(everything).not.toMatch(/\$2[aby]\$\d\d\$/);
    expect(everything).not.toMatch(/pcs_[A-Za-z0-9_-]{20,}/);
    expect(everything).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/);
    expect(everything).not.toMatch(/"(password\w*|\w*[sS]ecret|\w*[hH]ash|access_token|refresh_token|token)"\s*:/);
  });

  it('removes events older than AUDIT_RETENTION in the periodic cleanup', async () => {
    await t.sql(`INSERT INTO audit_events (tenant_id, type, at) VALUES ($1, 'user.updated', now() - interval '91 days'), ($1, 'user.updated', now() - interval '89 days')`, [tenant.id]);
    const report = await t.app.get(Housekeeping).purgeExpired();
    expect(report?.auditEvents).toBe(1);
    expect(await t.sql(`SELECT 1 FROM audit_events WHERE at < now() - interval '90 days'`)).toEqual([]);
    expect(await t.sql(`SELECT 1 FROM audit_events WHERE at < now() - interval '88 days'`)).toHaveLength(1);
  });
});
