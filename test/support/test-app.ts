import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import pg from 'pg';
import request from 'supertest';
import { createApp } from '../../src/app.factory.js';
import { type AppConfig, type Environment, loadAppConfig } from '../../src/config/app-config.js';
import { createTestDatabase } from './test-database.js';

export { createTestDatabase };

export const SUPERADMIN = { email: 'root@portcullis.test', password: 'superadmin-password-for-tests' };

/** Settings every test app starts from; suites override what they exercise. */
const TEST_ENVIRONMENT: Environment = {
  BCRYPT_COST: '4',
  LOG_LEVEL: 'silent',
  JWT_ISSUER: 'https://portcullis.test',
  BOOTSTRAP_ADMIN_EMAIL: SUPERADMIN.email,
  BOOTSTRAP_ADMIN_PASSWORD: SUPERADMIN.password,
  // The suites sign in many times from 127.0.0.1; the rate-limit suite sets its own limit.
  AUTH_RATE_LIMIT: '100000',
};

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  databaseUrl: string;
  api: () => ReturnType<typeof request>;
  /** Direct SQL on the suite's database, for arranging what no endpoint can (yet) do. */
  sql: <T = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<T[]>;
  close: () => Promise<void>;
}

/** Boots the real application (every module, migrations included) on a database of its own. */
export async function startTestApp(overrides: Environment = {}, databaseUrl?: string, logDestination?: DestinationStream): Promise<TestApp> {
  const url = databaseUrl ?? (await createTestDatabase());
  const config = loadAppConfig({ ...TEST_ENVIRONMENT, ...overrides, DATABASE_URL: url });
  const app = await createApp(config, logDestination);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  return {
    app,
    config,
    databaseUrl: url,
    api: () => request(app.getHttpServer()),
    sql: async <T>(text: string, values?: unknown[]) => (await pool.query(text, values)).rows as T[],
    close: async () => {
      await pool.end();
      await app.close();
    },
  };
}

