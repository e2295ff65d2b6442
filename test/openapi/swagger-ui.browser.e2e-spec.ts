import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { uniqueEmail } from '../support/factories.js';
import { freePort } from '../support/free-port.mjs';
import { SUPERADMIN, startTestApp, type TestApp } from '../support/test-app.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test', 'artifacts');
/** Flags for this machine's closed network (see the machine notes); Playwright adds a fresh profile. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Account {
  email: string;
  password: string;
}

describe('Swagger UI in a real browser (Chromium)', () => {
  let t: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  let tenant: { id: string; slug: string };
  let admin: Account;
  let plainUser: Account;
  const issuedTokens: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await startTestApp();
    const port = await freePort();
    await t.app.listen(port, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${port}`;

    const root = await t.api().post('/auth/login').send(SUPERADMIN).expect(200);
    const slug = `acme-${Date.now().toString(36)}`;
    admin = { email: uniqueEmail('ada'), password: 'Harbor-quill-7-velvet-Orbit' };
    const created = await t
      .api()
      .post('/tenants')
      .set('Authorization', `Bearer ${root.body.access_token as string}`)
      .send({ slug, name: 'Acme Corp', admin: { ...admin, name: 'Ada Admin' } })
      .expect(201);
    tenant = { id: created.body.id as string, slug };
    const adminTokens = await t.api().post('/auth/login').send({ tenant: slug, ...admin }).expect(200);
    plainUser = { email: uniqueEmail('pat'), password: 'Lantern-moss-42-copper-Fjord' };
    await t
      .api()
      .post(`/tenants/${tenant.id}/users`)
      .set('Authorization', `Bearer ${adminTokens.body.access_token as string}`)
      .send({ ...plainUser, name: 'Pat Plain', roles: ['user'] })
      .expect(201);

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10_000);
    page.on('response', (response) => {
      if (response.url().endsWith('/auth/token') && response.ok()) {
        void response.json().then((body: { access_token: string }) => issuedTokens.push(body.access_token));
      }
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signIn(account: Account): Promise<void> {
    await page.locator('button.authorize').first().click();
    const dialog = page.locator('.modal-ux');
    const oauth = dialog.locator('.auth-container').filter({ hasText: 'oauth2' });
    await oauth.locator('#oauth_username').fill(`${tenant.slug}/${account.email}`);
    await oauth.locator('#oauth_password').fill(account.password);
    await oauth.locator('button.authorize').click();
    await dialog.locator('button', { hasText: 'Logout' }).waitFor().catch(async (error: unknown) => {
      await page.screenshot({ path: join(ARTIFACTS, 'swagger-failed-sign-in.png') });
      throw error;
    });
    await page.screenshot({ path: join(ARTIFACTS, 'swagger-authorized.png') });
    await dialog.locator('button.close-modal').click();
  }

  async function signOut(): Promise<void> {
    await page.locator('button.authorize').first().click();
    await page.locator('.modal-ux').locator('button', { hasText: 'Logout' }).click();
    await page.locator('.modal-ux button.close-modal').click();
  }

  /** Expands an operation, fills its parameters, executes it and reads the status and body shown. */
  async function execute(operationId: string, parameters: Record<string, string>): Promise<{ block: Locator; status: number; body: string }> {
    const block = page.locator(`[id$="-${operationId}"]`);
    if (!(await block.locator('.opblock-body').isVisible())) await block.locator('.opblock-summary').first().click();
    const tryOut = block.locator('button.try-out__btn');
    if ((await tryOut.textContent())?.includes('Try it out')) await tryOut.click();
    for (const [name, value] of Object.entries(parameters)) {
      await block.locator(`tr[data-param-name="${name}"] input`).fill(value);
    }
    await block.locator('button.execute').click();
    const live = block.locator('.live-responses-table .response');
    await live.first().waitFor();
    const status = Number((await live.locator('.response-col_status').first().textContent())?.trim());
    const body = (await live.locator('.response-col_description pre').first().textContent()) ?? '';
    await block.scrollIntoViewIfNeeded();
    return { block, status, body };
  }

  it('signs a tenant admin in with `tenant/email`, pages the tenant’s users, and shows a plain user the 403', async () => {
    await page.goto(`${baseUrl}/docs`);
    await expect(page.title()).resolves.toBe('Portcullis API');
    await page.locator('button.authorize').first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'swagger-01-docs.png') });

    await signIn(admin);
    const me = await execute('UsersController_me', {});
    expect(me.status).toBe(200);
    expect(JSON.parse(me.body)).toMatchObject({ email: admin.email, tenantId: tenant.id, roles: ['admin'] });

    const list = await execute('TenantUsersController_list', { tenantId: tenant.id, limit: '1', offset: '0' });
    expect(list.status).toBe(200);
    const page1 = JSON.parse(list.body) as { items: unknown[]; total: number };
    expect(page1.items).toHaveLength(1);
    expect(page1.total).toBe(2);
    await list.block.screenshot({ path: join(ARTIFACTS, 'swagger-02-paged-users-200.png') });

    const adminToken = issuedTokens.at(-1);
    await signOut();
    // Logout revoked the session on the server too, not only in the page (the plugin's request is not awaited by the page).
    expect(adminToken).toBeDefined();
    let code: unknown;
    for (let attempt = 0; attempt < 50 && code !== 'token_revoked'; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      code = (await t.api().get('/users/me').set('Authorization', `Bearer ${adminToken ?? ''}`)).body.code;
    }
    expect(code).toBe('token_revoked');

    await signIn(plainUser);
    const refused = await execute('TenantUsersController_list', { tenantId: tenant.id, limit: '1', offset: '0' });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ statusCode: 403, code: expect.stringMatching(/^insufficient_(role|scope)$/) });
    await refused.block.screenshot({ path: join(ARTIFACTS, 'swagger-03-plain-user-403.png') });

    // A string, as the test's TypeScript has no DOM types.
    const stored = String(await page.evaluate('JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } })'));
    expect(stored).toContain('"local"');
    for (const secret of [admin.password, plainUser.password]) expect(stored).not.toContain(secret);
  }, 60_000);
});
