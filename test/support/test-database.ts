import { randomUUID } from 'node:crypto';
import { ensureDatabase } from '../../src/database/embedded-postgres-server.js';

function adminUrl(): string {
  const url = process.env.PORTCULLIS_TEST_ADMIN_URL;
  if (!url) throw new Error('The global setup did not run (PORTCULLIS_TEST_ADMIN_URL is unset)');
  return url;
}

/** A fresh database named for this suite, on the run's PostgreSQL (test/support/global-setup.mjs). */
export async function createTestDatabase(): Promise<string> {
  const name = `portcullis_test_${randomUUID().replace(/-/g, '')}`;
  await ensureDatabase(adminUrl(), name);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}
