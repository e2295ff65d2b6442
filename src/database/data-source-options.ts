import type { DataSourceOptions } from 'typeorm';
import { AuditEvent } from '../audit/audit-event.entity.js';
import { LoginAttempt } from '../users/login-attempt.entity.js';
import { ApiClient } from '../clients/api-client.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { RefreshToken } from '../tokens/refresh-token.entity.js';
import { Revocation } from '../tokens/revocation.entity.js';
import { Session } from '../tokens/session.entity.js';
import { SigningKey } from '../tokens/signing-key.entity.js';
import { User } from '../users/user.entity.js';
import { InitialSchema1795382715553 } from './migrations/1795382715553-InitialSchema.js';
import { SessionRevocation1795383905253 } from './migrations/1795383905253-SessionRevocation.js';
import { ApiClients1795384831004 } from './migrations/1795384831004-ApiClients.js';
import { RateLimits1795390000000 } from './migrations/1795390000000-RateLimits.js';
import { AuditEvents1795391000000 } from './migrations/1795391000000-AuditEvents.js';
import { LoginAttempts1795392000000 } from './migrations/1795392000000-LoginAttempts.js';
import { AccessTokenLifetime1795393000000 } from './migrations/1795393000000-AccessTokenLifetime.js';

/** Listed explicitly (not globbed) so that the service, the CLI and the tests load the same set under ESM. */
export const ENTITIES = [Tenant, User, SigningKey, Session, RefreshToken, Revocation, ApiClient, AuditEvent, LoginAttempt];
export const MIGRATIONS = [InitialSchema1795382715553, SessionRevocation1795383905253, ApiClients1795384831004, RateLimits1795390000000, AuditEvents1795391000000, LoginAttempts1795392000000, AccessTokenLifetime1795393000000];

export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    applicationName: 'portcullis',
    extra: { max: 20, connectionTimeoutMillis: 5000 },
  };
}
