import pg from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { InitialSchema1795382715553 } from './migrations/1795382715553-InitialSchema.js';
import { SessionRevocation1795383905253 } from './migrations/1795383905253-SessionRevocation.js';
import { ApiClients1795384831004 } from './migrations/1795384831004-ApiClients.js';
import { RateLimits1795390000000 } from './migrations/1795390000000-RateLimits.js';
import { AuditEvents1795391000000 } from './migrations/1795391000000-AuditEvents.js';
import { LoginAttempts1795392000000 } from './migrations/1795392000000-LoginAttempts.js';
import { AccessTokenLifetime1795393000000 } from './migrations/1795393000000-AccessTokenLifetime.js';
import { CanonicalEmails1795394000000 } from './migrations/1795394000000-CanonicalEmails.js';
import { UserChangeNotifications1795395000000 } from './migrations/1795395000000-UserChangeNotifications.js';
import { SecurityStamps1795395500000 } from './migrations/1795395500000-SecurityStamps.js';
import { OAuthClients1795395600000 } from './migrations/1795395600000-OAuthClients.js';
import { EmailKeys1795396000000 } from './migrations/1795396000000-EmailKeys.js';
import { SigningKeyChangeNotifications1795397000000 } from './migrations/1795397000000-SigningKeyChangeNotifications.js';
import { AuditPlatformOperatorOrigin1795398000000 } from './migrations/1795398000000-AuditPlatformOperatorOrigin.js';
import { LoginAttemptsPerClient1795399000000 } from './migrations/1795399000000-LoginAttemptsPerClient.js';
import { PasswordCheckReservations1795399500000 } from './migrations/1795399500000-PasswordCheckReservations.js';

/**
 * Listed explicitly (not globbed) so that the service, the CLI and the tests load the same set
 * under ESM. Entities are not listed here: each feature module registers its own
 * (`TypeOrmModule.forFeature`), and the service's DataSource loads them (`autoLoadEntities`);
 * migrations need none.
 */
export const MIGRATIONS = [
  InitialSchema1795382715553,
  SessionRevocation1795383905253,
  ApiClients1795384831004,
  RateLimits1795390000000,
  AuditEvents1795391000000,
  LoginAttempts1795392000000,
  AccessTokenLifetime1795393000000,
  CanonicalEmails1795394000000,
  UserChangeNotifications1795395000000,
  SecurityStamps1795395500000,
  OAuthClients1795395600000,
  EmailKeys1795396000000,
  SigningKeyChangeNotifications1795397000000,
  AuditPlatformOperatorOrigin1795398000000,
  LoginAttemptsPerClient1795399000000,
  PasswordCheckReservations1795399500000,
];

/**
 * What the migrating connection calls itself (`application_name`), so that one waiting for
 * another instance's migration lock is recognizable in `pg_stat_activity`; the serving pool is
 * `portcullis`, the LISTEN connection `portcullis-listener`.
 */
export const MIGRATIONS_APPLICATION_NAME = 'portcullis-migrations';

/**
 * Bounds on every database call the service makes while serving, so that a database that went
 * away answers 503 within 5 s instead of hanging (`isDatabaseUnavailable` maps each to 503):
 * - `connectionTimeoutMillis`: a new connection, or a free slot in a full pool, within 2 s. A
 *   stopped server refuses at once; a black-holed one would otherwise wait for TCP (minutes).
 * - `statement_timeout` (server side): no statement runs longer than 3 s. Every query of a request
 *   is an indexed lookup or a short write; only a lock queue or an overloaded server gets near it.
 * - `query_timeout` (client side, 4 s, after the server's own): the answer to a query sent on a
 *   connection that silently died never comes, and no server is left to enforce its timeout.
 * - `idle_in_transaction_session_timeout`: a transaction whose client vanished mid-way releases
 *   its row locks after 10 s instead of holding them until TCP notices.
 * - `keepAlive`: idle pooled connections to a vanished server are found dead by the kernel.
 * Migrations and the CLI run without them (`dataSourceOptions`): a migration may rightly take
 * minutes, and waiting for another instance's migration lock is not a hang.
 */
export const SERVING_TIMEOUTS = {
  connectionTimeoutMillis: 2_000,
  statement_timeout: 3_000,
  query_timeout: 4_000,
  idle_in_transaction_session_timeout: 10_000,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
};

/**
 * A pool client with an 'error' listener for its whole life. pg-pool takes its own listener off a
 * client as it hands it out, and TypeORM adds its own only a microtask later; a new connection
 * whose first ReadyForQuery and the server's shutdown notice (57P01) arrive in one TCP read emits
 * 'error' in between, with nobody listening, and an unheard 'error' crashes the process. The client
 * is marked unusable all the same, so whoever uses it next gets an error (a 503), not a crash.
 */
class AlwaysHeardClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on('error', () => undefined);
  }
}

/** The service's own pool: `dataSourceOptions` with the serving timeouts. */
export function servingDataSourceOptions(url: string): DataSourceOptions {
  return dataSourceOptions(url, SERVING_TIMEOUTS);
}

/**
 * `timeouts` are pool and connection options of node-postgres (`SERVING_TIMEOUTS`);
 * `applicationName` is what the connections call themselves in `pg_stat_activity`.
 */
export function dataSourceOptions(url: string, timeouts: Partial<typeof SERVING_TIMEOUTS> = {}, applicationName = 'portcullis'): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    applicationName,
    extra: { max: 20, connectionTimeoutMillis: 5000, Client: AlwaysHeardClient, ...timeouts },
  };
}
