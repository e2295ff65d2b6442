import { randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { EmailKeys1795396000000 } from '../../src/database/migrations/1795396000000-EmailKeys.js';
import { login, type TokenPair } from '../support/factories.js';
import { createTenant, superadminTokens, type Tenant } from '../support/principals.js';
import { createTestDatabase, startTestApp, type TestApp } from '../support/test-app.js';

const MAX_FAILURES = 3;

describe('An email is stored and shown as typed; one key per reading finds the account', () => {
  let t: TestApp;
  let tenant: Tenant;
  let admin: TokenPair;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES: String(MAX_FAILURES) });
    tenant = await createTenant(t, await superadminTokens(t), { selfSignup: true });
    admin = await login(t, { ...tenant.admin, tenant: tenant.slug });
  });
  afterAll(() => t.close());

  const tag = () => randomUUID().slice(0, 8);
  const password = () => `pw ${randomUUID()}`;
  const register = (email: string, secret: string) => t.api().post('/auth/register').send({ tenant: tenant.slug, email, password: secret });
  const signIn = (email: string, secret: string) => t.api().post('/auth/login').send({ tenant: tenant.slug, email, password: secret });
  /** The account a sign-in reaches, as `/users/me` shows it. */
  async function signedIn(email: string, secret: string): Promise<{ id: string; email: string }> {
    const tokens = await signIn(email, secret).expect(200);
    return (await t.api().get('/users/me').set('Authorization', `Bearer ${tokens.body.access_token}`).expect(200)).body;
  }
  /** The emails the tenant's admin list shows for a search. */
  async function listed(q: string): Promise<string[]> {
    const response = await t.api().get(`/tenants/${tenant.id}/users`).query({ q }).set('Authorization', `Bearer ${admin.access_token}`).expect(200);
    return (response.body.items as Array<{ email: string }>).map((user) => user.email).sort();
  }
  const conflict = async (email: string) => {
    const response = await register(email, password());
    return { status: response.status, code: response.body.code };
  };

  it('keeps dotless ı and i apart: two accounts, each shown as typed, each signing in only with its own address', async () => {
    const id = tag();
    const dotless = { email: `mx\u0131-${id}@example.com`, password: password() };
    const dotted = { email: `mxi-${id}@example.com`, password: password() };
    const first = await register(dotless.email, dotless.password).expect(201);
    const second = await register(dotted.email, dotted.password).expect(201);
    expect([first.body.email, second.body.email]).toEqual([dotless.email, dotted.email]);
    expect(first.body.id).not.toBe(second.body.id);

    expect(await signedIn(dotless.email, dotless.password)).toMatchObject({ id: first.body.id, email: dotless.email });
    expect(await signedIn(dotted.email, dotted.password)).toMatchObject({ id: second.body.id, email: dotted.email });
    expect(await signedIn(`MXI-${id}@example.com`, dotted.password)).toMatchObject({ id: second.body.id });
    expect(await listed(id)).toEqual([dotless.email, dotted.email].sort());

    // Neither address reaches the other account, nor does the capital I of the dotted one.
    await signIn(dotless.email, dotted.password).expect(401);
    await signIn(dotted.email, dotless.password).expect(401);
    await signIn(`MXI-${id}@example.com`, dotless.password).expect(401);
  });

  it('counts failed sign-ins of mxi against mxi only: mxı still signs in', async () => {
    const id = tag();
    const dotless = { email: `mx\u0131-${id}@example.com`, password: password() };
    await register(dotless.email, dotless.password).expect(201);
    await register(`mxi-${id}@example.com`, password()).expect(201);
    for (let i = 0; i < MAX_FAILURES; i++) await signIn(`mxi-${id}@example.com`, 'a wrong password').expect(401);
    await signIn(`MXI-${id}@example.com`, 'a wrong password').expect(429);
    expect((await signedIn(dotless.email, dotless.password)).email).toBe(dotless.email);
  });

  it('makes the decomposed and composed forms one account, shown composed: the other form conflicts', async () => {
    const id = tag();
    const decomposed = `Jose\u0301-${id}@example.com`;
    const composed = `Jos\u00E9-${id}@example.com`;
    const secret = password();
    const created = await register(decomposed, secret).expect(201);
    expect(created.body.email).toBe(composed);
    expect(await signedIn(composed, secret)).toMatchObject({ id: created.body.id, email: composed });
    expect(await signedIn(decomposed, secret)).toMatchObject({ id: created.body.id });
    expect(await conflict(composed)).toEqual({ status: 409, code: 'email_taken' });
  });

  it('makes ß, ẞ, SS and ss one account, shown as typed', async () => {
    const id = tag();
    const typed = `Straße-${id}@example.com`;
    const secret = password();
    const created = await register(typed, secret).expect(201);
    expect(created.body.email).toBe(typed);
    for (const spelling of [`STRASSE-${id}@example.com`, `strasse-${id}@example.com`, `STRAẞE-${id}@example.com`]) {
      expect(await signedIn(spelling, secret)).toMatchObject({ id: created.body.id, email: typed });
      expect(await conflict(spelling)).toEqual({ status: 409, code: 'email_taken' });
    }
  });

  it('makes fullwidth letters and their ASCII one account, shown as typed', async () => {
    const id = tag();
    const typed = `\uFF21\uFF4C\uFF49\uFF43\uFF45-${id}@example.com`;
    const secret = password();
    const created = await register(typed, secret).expect(201);
    expect(created.body.email).toBe(typed);
    expect(await signedIn(`alice-${id}@example.com`, secret)).toMatchObject({ id: created.body.id, email: typed });
    expect(await conflict(`ALICE-${id}@example.com`)).toEqual({ status: 409, code: 'email_taken' });
  });

  it('shows a mixed-case address exactly as typed everywhere, and signs it in in any letter case', async () => {
    const id = tag();
    const typed = `Alice-${id}@Example.com`;
    const secret = password();
    const created = await register(typed, secret).expect(201);
    expect(created.body.email).toBe(typed);
    expect(await signedIn(`alice-${id}@example.com`, secret)).toMatchObject({ id: created.body.id, email: typed });
    expect(await listed(id)).toEqual([typed]);
    const [event] = await t.sql<{ data: { email: string } }>(`SELECT data FROM audit_events WHERE type = 'user.registered' AND subject_id = $1`, [created.body.id]);
    expect(event.data.email).toBe(typed);
    expect(await conflict(`ALICE-${id}@EXAMPLE.COM`)).toEqual({ status: 409, code: 'email_taken' });
  });

  it('applies the same key to accounts an admin creates', async () => {
    const id = tag();
    const typed = `Mx\u0131-${id}@Example.com`;
    const create = (email: string) =>
      t.api().post(`/tenants/${tenant.id}/users`).set('Authorization', `Bearer ${admin.access_token}`).send({ email, password: password(), roles: ['user'] });
    expect((await create(typed).expect(201)).body.email).toBe(typed);
    await create(`mxi-${id}@example.com`).expect(201);
    expect((await create(`MX\u0131-${id}@example.com`)).body.code).toBe('email_taken');
    expect(await listed(id)).toEqual([typed, `mxi-${id}@example.com`].sort());
  });
});

describe('The email-key migration', () => {
  it('keys existing accounts, keeping their stored emails; of accounts sharing a key, the one sign-ins reached keeps it', async () => {
    const databaseUrl = await createTestDatabase();
    const before = await startTestApp({}, databaseUrl);
    const id = randomUUID().slice(0, 8);
    const secret = `pw ${randomUUID()}`;
    const reachable = await before.api().post('/auth/register').send({ email: `sam-${id}@x.io`, password: secret }).expect(201);
    const dotted = await before.api().post('/auth/register').send({ email: `mxi-${id}@x.io`, password: secret }).expect(201);
    // The schema as it was before, with rows as the old rules left them: canonical (case-mapped)
    // emails, and an older account of another spelling that CanonicalEmails left clashing.
    await new EmailKeys1795396000000().down({ query: (sql: string, values?: unknown[]) => before.sql(sql, values) } as unknown as QueryRunner);
    await before.sql(
      `INSERT INTO users (tenant_id, email, password_hash, roles, created_at)
       SELECT tenant_id, $2, password_hash, roles, created_at - interval '1 day' FROM users WHERE id = $1`,
      [reachable.body.id, `\u017Fam-${id}@x.io`],
    );
    await before.sql(`DELETE FROM migrations WHERE name = 'EmailKeys1795396000000'`);
    await before.close();

    const after = await startTestApp({}, databaseUrl);
    try {
      const rows = await after.sql<{ id: string; email: string; email_key: string | null }>(`SELECT id, email, email_key FROM users WHERE email LIKE $1`, [`%-${id}@x.io`]);
      expect(rows).toHaveLength(3);
      expect(rows).toEqual(
        expect.arrayContaining([
          { id: dotted.body.id, email: `mxi-${id}@x.io`, email_key: `mxi-${id}@x.io` },
          { id: reachable.body.id, email: `sam-${id}@x.io`, email_key: `sam-${id}@x.io` },
          { id: expect.any(String), email: `\u017Fam-${id}@x.io`, email_key: null },
        ]),
      );
      const reached = await login(after, { email: `\u017Fam-${id}@x.io`, password: secret });
      expect((await after.api().get('/users/me').set('Authorization', `Bearer ${reached.access_token}`)).body.id).toBe(reachable.body.id);
      await login(after, { email: `MXI-${id}@x.io`, password: secret });
      const again = await after.api().post('/auth/register').send({ email: `mx\u0131-${id}@x.io`, password: `pw ${randomUUID()}` });
      expect(again.status).toBe(201);
    } finally {
      await after.close();
    }
  });
});
