import { signedInUser } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('/users/me', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers the caller as a User, never with the password hash', async () => {
    const user = await signedInUser(t);
    const response = await t.api().get('/users/me').set('Authorization', `Bearer ${user.tokens.access_token}`);
    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(['active', 'createdAt', 'email', 'id', 'lastLoginAt', 'name', 'roles', 'tenantId']);
    expect(response.body).toMatchObject({ id: user.id, email: user.email, roles: ['user'] });
  });

  it('changes the name with PATCH', async () => {
    const user = await signedInUser(t);
    const auth = `Bearer ${user.tokens.access_token}`;
    const patched = await t.api().patch('/users/me').set('Authorization', auth).send({ name: 'Ada Lovelace' });
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe('Ada Lovelace');
    const read = await t.api().get('/users/me').set('Authorization', auth);
    expect(read.body.name).toBe('Ada Lovelace');
  });

  it.each([
    ['roles', { roles: ['admin'] }],
    ['email', { email: 'other@example.com' }],
    ['active', { active: false }],
    ['tenantId', { tenantId: '00000000-0000-4000-8000-000000000000' }],
    ['password', { password: 'a new password' }],
    ['a name alongside roles', { name: 'x', roles: ['superadmin'] }],
  ])('refuses %s with 400 and changes nothing', async (_field, body) => {
    const user = await signedInUser(t);
    const auth = `Bearer ${user.tokens.access_token}`;
    const response = await t.api().patch('/users/me').set('Authorization', auth).send(body);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    const [row] = await t.sql<{ name: string | null; roles: string[]; active: boolean; email: string }>(
      'SELECT name, roles, active, email FROM users WHERE id = $1',
      [user.id],
    );
    expect(row).toEqual({ name: null, roles: ['user'], active: true, email: user.email });
  });

  it('refuses a name that is not a string or too long', async () => {
    const user = await signedInUser(t);
    for (const name of [42, 'x'.repeat(201), '']) {
      const response = await t.api().patch('/users/me').set('Authorization', `Bearer ${user.tokens.access_token}`).send({ name });
      expect(response.status).toBe(400);
    }
  });
});
