import { startTestApp } from '../support/test-app.js';

describe('Bootstrap superadmin without BOOTSTRAP_ADMIN_*', () => {
  it('creates one superadmin in the default tenant on the first start, and none on later starts', async () => {
    const unset = { BOOTSTRAP_ADMIN_EMAIL: '', BOOTSTRAP_ADMIN_PASSWORD: '' };
    const first = await startTestApp(unset);
    await first.close();
    const second = await startTestApp(unset, first.databaseUrl);
    try {
      const rows = await second.sql<{ email: string; roles: string[]; slug: string; password_hash: string }>(
        `SELECT u.email, u.roles, t.slug, u.password_hash FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE 'superadmin' = ANY(u.roles)`,
      );
      expect(rows).toEqual([{ email: 'admin@portcullis.local', roles: ['superadmin'], slug: 'default', password_hash: expect.stringMatching(/^\$2b\$/) }]);
    } finally {
      await second.close();
    }
  });

});
