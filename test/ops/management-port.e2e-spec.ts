import { listen } from '../../src/app.factory.js';
import { freePort } from '../support/free-port.mjs';
import { superadminTokens } from '../support/principals.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { connectionRefused } from '../support/polling.js';

describe('MANAGEMENT_PORT', () => {
  let t: TestApp;
  let main: string;
  let management: string;
  let managementPort: number;

  beforeAll(async () => {
    managementPort = await freePort();
    t = await startTestApp({ MANAGEMENT_PORT: String(managementPort) });
    const mainPort = await freePort();
    // What main.ts does: the API's port, then the management port.
    await listen(t.app, { port: mainPort, managementPort });
    main = `http://127.0.0.1:${mainPort}`;
    management = `http://127.0.0.1:${managementPort}`;
  });
  afterAll(() => t.close());

  it('serves /metrics and /health without a token, while /metrics on the main port still needs one', async () => {
    const metrics = await fetch(`${management}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await metrics.text()).toContain('# TYPE portcullis_sign_ins_total counter');

    const health = await fetch(`${management}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, notifications: { status: 'up' } } });

    const mainMetrics = await fetch(`${main}/metrics`);
    expect(mainMetrics.status).toBe(401);
    expect(await mainMetrics.json()).toMatchObject({ code: 'token_missing' });
    expect((await fetch(`${main}/health`)).status).toBe(200);
  });

  it('counts what the main port serves: one registry behind both', async () => {
    await fetch(`${main}/.well-known/jwks.json`);
    const text = await (await fetch(`${management}/metrics`)).text();
    expect(text).toMatch(/^portcullis_http_requests_total\{method="GET",route="\/\.well-known\/jwks\.json",status="200"\} [1-9]\d*$/m);
  });

  it('answers 404 to every other route, the API’s included, even with a superadmin’s token', async () => {
    const { access_token } = await superadminTokens(t);
    const requests: Array<[string, string, string?]> = [
      ['GET', '/users/me'],
      ['POST', '/auth/login', JSON.stringify({ email: 'root@portcullis.test', password: 'whatever-password' })],
      ['POST', '/auth/token', 'grant_type=client_credentials'],
      ['GET', '/tenants'],
      ['GET', '/audit-events'],
      ['GET', '/docs'],
      ['GET', '/docs-json'],
      ['GET', '/.well-known/jwks.json'],
      ['POST', '/metrics'],
      ['DELETE', '/health'],
      ['GET', '/metrics/../users/me'],
    ];
    for (const [method, path, body] of requests) {
      const response = await fetch(`${management}${path}`, {
        method,
        headers: { Authorization: `Bearer ${access_token}`, 'Content-Type': body?.startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded' },
        body,
      });
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 404 });
      expect(await response.json()).toMatchObject({ statusCode: 404, code: 'not_found' });
    }
  });

  it('stops listening when the application closes', async () => {
    const other = await freePort();
    const app = await startTestApp({ MANAGEMENT_PORT: String(other) });
    await listen(app.app, { port: 0, managementPort: other });
    expect((await fetch(`http://127.0.0.1:${other}/health`)).status).toBe(200);
    await app.close();
    expect(await connectionRefused(other)).toBe(true);
  });
});
