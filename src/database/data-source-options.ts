import type { DataSourceOptions } from 'typeorm';
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

/** Listed explicitly (not globbed) so that the service, the CLI and the tests load the same set under ESM. */
export const ENTITIES = [Tenant, User, SigningKey, Session, RefreshToken, Revocation, ApiClient];
export const MIGRATIONS = [InitialSchema1795382715553, SessionRevocation1795383905253, ApiClients1795384831004];

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
