import { login, registerUser, signedInUser, type TokenPair } from '../support/factories.js';
import { clientToken, createClient, createTenant, superadminTokens } from '../support/principals.js';
import { SUPERADMIN, startTestApp, type TestApp } from '../support/test-app.js';

/** The value of one sample of the exposition (0 when the series has not appeared yet). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  describe('by default (METRICS_PUBLIC unset)', () => {
    let t: TestApp;
    let scraper: TokenPair;

    const scrape = async (): Promise<string> => {
      const response = await t.api().get('/metrics').set('Authorization', `Bearer ${scraper.access_token}`).expect(200);
      return response.text;
    };

    beforeAll(async () => {
      t = await startTestApp({ LOGIN_MAX_FAILURES: '2', REFRESH_REUSE_GRACE: '0' });
      scraper = await superadminTokens(t);
    });
    afterAll(() => t.close());

    it('answers 401 without a token', async () => {
      const response = await t.api().get('/metrics').expect(401);
      expect(response.body.code).toBe('token_missing');
    });

    it('answers 403 insufficient_scope to a user, a tenant admin and an audit:read API client: the counts cover every tenant', async () => {
      const tenant = await createTenant(t, scraper);
      const admin = await login(t, { ...tenant.admin, tenant: tenant.slug });
      const client = await createClient(t, admin, tenant, ['audit:read']);
      const auditClient = await clientToken(t, client, 'audit:read');
      const user = await signedInUser(t);
      for (const token of [user.tokens.access_token, admin.access_token, auditClient.access_token]) {
        const response = await t.api().get('/metrics').set('Authorization', `Bearer ${token}`).expect(403);
        expect(response.body.code).toBe('insufficient_scope');
        expect(response.headers['www-authenticate']).toBe('Bearer realm="portcullis", error="insufficient_scope", scope="tenants:read"');
        expect(response.text).not.toContain('portcullis_');
      }
    });

    it('answers the Prometheus text format to a platform token (a superadmin’s, with tenants:read)', async () => {
      const response = await t.api().get('/metrics').set('Authorization', `Bearer ${scraper.access_token}`).expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(response.text).toContain('# TYPE portcullis_http_requests_total counter');
      expect(response.text).toContain('# TYPE portcullis_http_request_duration_seconds histogram');
      expect(response.text).toMatch(/^portcullis_db_pool_connections\{state="total"\} [1-9]\d*$/m);
      expect(response.text).toMatch(/^portcullis_db_pool_connections\{state="idle"\} \d+$/m);
      expect(response.text).toMatch(/^portcullis_db_pool_waiting_requests \d+$/m);
    });

    it('answers 403 to a superadmin token narrowed to scopes without tenants:read', async () => {
      const narrowed = await t.api().post('/auth/login').send({ ...SUPERADMIN, scope: 'profile audit:read' }).expect(200);
      const response = await t.api().get('/metrics').set('Authorization', `Bearer ${narrowed.body.access_token}`).expect(403);
      expect(response.body.code).toBe('insufficient_scope');
    });

    it('counts sign-ins by outcome, refreshes, reuse detections, revocations and lockouts', async () => {
      const before = await scrape();
      const user = await registerUser(t);
      const tokens = await login(t, user);
      const refreshed = await t.api().post('/auth/refresh').send({ refresh_token: tokens.refresh_token }).expect(200);
      // No grace window in this suite: the rotated token presented again is a reuse, and revokes the session.
      const reused = await t.api().post('/auth/refresh').send({ refresh_token: tokens.refresh_token }).expect(401);
      expect(reused.body.code).toBe('refresh_token_reused');
      expect(refreshed.body.refresh_token).toEqual(expect.any(String));
      const again = await login(t, user);
      await t.api().post('/auth/logout').set('Authorization', `Bearer ${again.access_token}`).expect(204);
      const victim = await registerUser(t);
      for (let attempt = 0; attempt < 2; attempt++) {
        await t.api().post('/auth/login').send({ email: victim.email, password: 'not-the-password' }).expect(401);
      }
      const after = await scrape();

      expect(sample(after, 'portcullis_sign_ins_total{outcome="succeeded"}') - sample(before, 'portcullis_sign_ins_total{outcome="succeeded"}')).toBe(2);
      expect(sample(after, 'portcullis_sign_ins_total{outcome="failed"}') - sample(before, 'portcullis_sign_ins_total{outcome="failed"}')).toBe(1);
      expect(sample(after, 'portcullis_sign_ins_total{outcome="locked"}') - sample(before, 'portcullis_sign_ins_total{outcome="locked"}')).toBe(1);
      expect(sample(after, 'portcullis_lockouts_total') - sample(before, 'portcullis_lockouts_total')).toBe(1);
      expect(sample(after, 'portcullis_token_refreshes_total') - sample(before, 'portcullis_token_refreshes_total')).toBe(1);
      expect(sample(after, 'portcullis_refresh_token_reuse_detected_total') - sample(before, 'portcullis_refresh_token_reuse_detected_total')).toBe(1);
      expect(sample(after, 'portcullis_revocations_total{kind="session"}') - sample(before, 'portcullis_revocations_total{kind="session"}')).toBeGreaterThanOrEqual(2);
      expect(after).toMatch(/^portcullis_http_requests_total\{method="POST",route="\/auth\/login",status="200"\} \d+$/m);
      expect(after).toMatch(/^portcullis_http_requests_total\{method="POST",route="\/auth\/login",status="401"\} \d+$/m);
    });

    it('labels requests by route pattern, never by the URL as sent, and leaves no secret in the output', async () => {
      const tenant = await createTenant(t, scraper);
      await t.api().get(`/tenants/${tenant.id}/users?limit=5`).set('Authorization', `Bearer ${scraper.access_token}`).expect(200);
      await t.api().get('/no/such/route/secret-in-the-path').expect(404);
      const text = await scrape();

      expect(text).toMatch(/route="\/tenants\/:tenantId\/users",status="200"/);
      expect(text).toMatch(/route="\(unmatched\)",status="404"/);
      for (const secret of [tenant.id, 'secret-in-the-path', 'limit=5', scraper.access_token, scraper.refresh_token ?? '', SUPERADMIN.email, SUPERADMIN.password, tenant.admin.email]) {
        expect(text).not.toContain(secret);
      }
      const routes = new Set([...text.matchAll(/route="([^"]*)"/g)].map((match) => match[1]));
      for (const route of routes) expect(route === '(unmatched)' || /^\/[\w\-/:.]*$/.test(route)).toBe(true);
      for (const route of routes) expect(route).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    });
  });

  describe('with METRICS_PUBLIC=true', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp({ METRICS_PUBLIC: 'true' });
    });
    afterAll(() => t.close());

    it('answers without a token', async () => {
      const response = await t.api().get('/metrics').expect(200);
      expect(response.text).toContain('# TYPE portcullis_sign_ins_total counter');
    });

    it('keeps its own registry: counts of another application instance in the same process do not leak in', async () => {
      await t.api().get('/metrics').expect(200);
      const response = await t.api().get('/metrics').expect(200);
      expect(sample(response.text, 'portcullis_sign_ins_total{outcome="succeeded"}')).toBe(0);
    });
  });
});
