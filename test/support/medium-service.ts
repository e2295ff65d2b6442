import type { InjectionToken, Type } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import pg from 'pg';
import { PinoNestLogger } from '../../src/common/logging/pino-nest-logger.js';
import { LoggingModule } from '../../src/common/logging/logging.module.js';
import { createRootLogger } from '../../src/common/logging/root-logger.js';
import { type AppConfig, type Environment, loadAppConfig } from '../../src/config/app-config.js';
import { DatabaseModule } from '../../src/database/database.module.js';
import { AuditEvent } from '../../src/audit/audit-event.entity.js';
import { ApiClient } from '../../src/clients/api-client.entity.js';
import { Tenant } from '../../src/tenants/tenant.entity.js';
import { RefreshToken } from '../../src/sessions/refresh-token.entity.js';
import { Revocation } from '../../src/tokens/revocation.entity.js';
import { Session } from '../../src/sessions/session.entity.js';
import { SigningKey } from '../../src/tokens/signing-key.entity.js';
import { LoginAttempt } from '../../src/users/login-attempt.entity.js';
import { User } from '../../src/users/user.entity.js';
import { createTestDatabase } from './test-database.js';

/** Settings every medium suite starts from; suites override what they exercise. */
const MEDIUM_ENVIRONMENT: Environment = { BCRYPT_COST: '4', LOG_LEVEL: 'silent' };

/** Every entity, each owned by its module in the service; here the suites get a real repository of each. */
const ENTITIES = [Tenant, User, SigningKey, Session, RefreshToken, Revocation, ApiClient, AuditEvent, LoginAttempt];

export interface MediumServiceOptions {
  /** The providers the service needs, built for real (their own dependencies must be here too). */
  real?: Type[];
  /** Stand-ins for providers the test does not want for real. */
  mock?: Array<{ provide: InjectionToken; useValue: unknown }>;
  /** Configuration, as environment variables, over `MEDIUM_ENVIRONMENT`. */
  environment?: Environment;
}

export interface MediumService<T> {
  /** The service under test. */
  sut: T;
  /** Another provider of the module (one of `real`, the DataSource, the repositories). */
  get: <U>(token: Type<U> | InjectionToken) => U;
  /** Direct SQL on the suite's database, to arrange and to look at what the service did. */
  sql: <R = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<R[]>;
  config: AppConfig;
  close: () => Promise<void>;
}

/**
 * The medium tier (immich's `newMediumService`): one service and the real providers it needs,
 * on a real PostgreSQL (a fresh database of the suite's own, migrated by the real
 * `DatabaseModule`), with the real TypeORM repositories of every entity. No HTTP: no controller,
 * guard or pipe is built. Call `close` in `afterAll`.
 */
export async function newMediumService<T>(service: Type<T>, options: MediumServiceOptions = {}): Promise<MediumService<T>> {
  const databaseUrl = await createTestDatabase();
  const config = loadAppConfig({ ...MEDIUM_ENVIRONMENT, ...options.environment, DATABASE_URL: databaseUrl });
  const rootLogger = createRootLogger(config);
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, skipProcessEnv: true, load: [() => config] }),
      LoggingModule.forRoot(rootLogger),
      DatabaseModule,
      TypeOrmModule.forFeature(ENTITIES),
    ],
    providers: [service, ...(options.real ?? []), ...(options.mock ?? [])],
  })
    .setLogger(new PinoNestLogger(rootLogger))
    .compile();
  // Lifecycle hooks run as in the service (revocations loaded, notifications listened to).
  await moduleRef.init();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  return {
    sut: moduleRef.get(service),
    get: <U>(token: Type<U> | InjectionToken) => moduleRef.get<U>(token as Type<U>),
    sql: async <R>(text: string, values?: unknown[]) => (await pool.query(text, values)).rows as R[],
    config,
    close: async () => {
      await pool.end();
      await moduleRef.close();
    },
  };
}
