import { startTestApp, type TestApp } from '../support/test-app.js';

const APP_ORIGIN = 'https://app.example.com';

describe('CORS for the listed origins', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: APP_ORIGIN });
  });
  afterAll(() => t.close());

  const preflight = (origin: string, method: string) =>
    t.api().options('/tenants/00000000-0000-4000-8000-000000000000/users/00000000-0000-4000-8000-000000000001').set('Origin', origin).set('Access-Control-Request-Method', method).set('Access-Control-Request-Headers', 'authorization, content-type');

  it.each(['GET', 'POST', 'PATCH', 'DELETE'])('lets a listed origin send %s, with credentials', async (method) => {
    const response = await preflight(APP_ORIGIN, method);
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(response.headers['access-control-allow-methods']?.split(',').map((item: string) => item.trim())).toContain(method);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    expect(response.headers['access-control-allow-headers']?.toLowerCase()).toContain('authorization');
  });

  it('allows no origin that is not listed (without Access-Control-Allow-Origin a browser lets its script read nothing)', async () => {
    const response = await preflight('https://evil.example', 'DELETE');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await t.api().get('/health').set('Origin', 'https://evil.example');
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });
});
