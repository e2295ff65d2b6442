import { login, registerUser, type TokenPair } from '../support/factories.js';
import { clientToken, createClient, createTenant, superadminTokens } from '../support/principals.js';
import { SUPERADMIN, startTestApp, type TestApp } from '../support/test-app.js';

describe('Logs at the most verbose level', () => {
  const lines: string[] = [];
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'trace' }, undefined, { write: (line: string) => void lines.push(line) });
  });
  afterAll(() => t.close());

  it('never carry a password, a token, a client secret or an Authorization header', async () => {
    const secrets: string[] = [SUPERADMIN.password];
    const user = await registerUser(t);
    secrets.push(user.password);
    const tokens = await login(t, user);
    secrets.push(tokens.access_token, tokens.refresh_token!);
    await t.api().post('/auth/login').send({ email: user.email, password: 'a wrong password entirely' }).expect(401);
    secrets.push('a wrong password entirely');
    const refreshed = (await t.api().post('/auth/refresh').send({ refresh_token: tokens.refresh_token }).expect(200)).body as TokenPair;
    secrets.push(refreshed.access_token, refreshed.refresh_token!);
    const viaForm = await t.api().post('/auth/token').type('form').send({ grant_type: 'password', username: user.email, password: user.password }).expect(200);
    secrets.push(viaForm.body.access_token, viaForm.body.refresh_token);
    await t.api().post('/auth/password').set('Authorization', `Bearer ${refreshed.access_token}`).send({ currentPassword: user.password, newPassword: 'the next password' }).expect(204);
    secrets.push('the next password');

    const superadmin = await superadminTokens(t);
    secrets.push(superadmin.access_token);
    const tenant = await createTenant(t, superadmin);
    secrets.push(tenant.admin.password);
    const admin = await login(t, { ...tenant.admin, tenant: tenant.slug });
    const client = await createClient(t, admin, tenant, ['tokens:introspect']);
    const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64');
    secrets.push(client.clientSecret, basic);
    const clientTokens = await clientToken(t, client);
    secrets.push(clientTokens.access_token);
    await t.api().post('/auth/introspect').set('Authorization', `Bearer ${clientTokens.access_token}`).send({ token: viaForm.body.access_token }).expect(200);
    await t.api().post('/auth/revoke').send({ token: viaForm.body.refresh_token }).expect(200);
    await t.api().get('/users/me').set('Authorization', 'Bearer not.a.token').expect(401);

    const logged = lines.join("");
    expect(logged).toContain('"url":"/auth/login"'); // the requests were logged, so the check below means something
    expect(logged).toContain('"url":"/auth/token"');
    for (const secret of secrets) expect(logged.includes(secret)).toBe(false);
    expect(logged).not.toMatch(/"authorization"/i);
    expect(logged).not.toMatch(/\$2[aby]\$/);
  });

  it('write one line per request: method, path, client address, status, time taken and request id, and no headers', async () => {
    lines.length = 0;
    await t.api().get('/users/me?probe=1').set('Authorization', 'Bearer not.a.token').expect(401);
    const requestLines = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'request completed');
    expect(requestLines).toEqual([
      expect.objectContaining({ level: 30, method: 'GET', url: '/users/me', ip: expect.stringMatching(/127\.0\.0\.1/), statusCode: 401, responseTime: expect.any(Number), reqId: expect.any(String) }),
    ]);
    expect(requestLines[0]).not.toHaveProperty('req');
    expect(requestLines[0]).not.toHaveProperty('headers');
  });

  it('never keep the query string, where a password sent by mistake would be', async () => {
    lines.length = 0;
    await t.api().post('/auth/login?password=hunter2-in-the-query').send({ email: 'nobody@example.com', password: 'hunter2-in-the-body' }).expect(401);
    const logged = lines.join('');
    expect(logged).toContain('"url":"/auth/login"');
    expect(logged).not.toContain('hunter2');
  });
});
