import { login, registerUser } from '../support/factories.js';
import { startTestApp } from '../support/test-app.js';

const BOOTSTRAP = { BOOTSTRAP_ADMIN_EMAIL: 'someone-else@portcullis.test', BOOTSTRAP_ADMIN_PASSWORD: 'a-bootstrap-password', LOG_LEVEL: 'error' };

describe('Bootstrap superadmin whose email someone has registered', () => {
  it('starts when no superadmin is left and the bootstrap email belongs to another account, promotes nobody, and says so', async () => {
    const lines: string[] = [];
    const first = await startTestApp(BOOTSTRAP);
    try {
      // The superadmin is gone (demoted by hand, say), and a stranger has taken its email in `default`.
      await first.sql(`DELETE FROM users WHERE email = 'someone-else@portcullis.test'`);
      await registerUser(first, { email: 'someone-else@portcullis.test', password: 'the stranger password' });
    } finally {
      await first.close();
    }
    const restarted = await startTestApp(BOOTSTRAP, first.databaseUrl, { write: (line: string) => void lines.push(line) });
    try {
      await restarted.api().get('/health').expect(200);
      expect(await restarted.sql(`SELECT roles FROM users WHERE email = 'someone-else@portcullis.test'`)).toEqual([{ roles: ['user'] }]);
      expect(await restarted.sql(`SELECT 1 FROM users WHERE 'superadmin' = ANY(roles)`)).toEqual([]);
      expect(lines.join('\n')).toMatch(/No superadmin exists, and someone-else@portcullis\.test .* is not promoted/);
      const stranger = await login(restarted, { email: 'someone-else@portcullis.test', password: 'the stranger password' });
      expect(stranger.scope).toBe('profile');
    } finally {
      await restarted.close();
    }
  });
});
