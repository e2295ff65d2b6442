import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import type { Logger } from 'pino';
import { AccessModule } from './access/access.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { JwtAuthGuard } from './access/guards/jwt-auth.guard.js';
import { RolesGuard } from './access/guards/roles.guard.js';
import { ScopesGuard } from './access/guards/scopes.guard.js';
import { TenantGuard } from './access/guards/tenant.guard.js';
import { HttpErrorFilter } from './common/errors/http-error.filter.js';
import { createValidationPipe } from './common/http/validation.js';
import { LoggingModule } from './common/logging/logging.module.js';
import type { AppConfig } from './config/app-config.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './ops/health/health.module.js';
import { HousekeepingModule } from './ops/housekeeping/housekeeping.module.js';
import { ManagementModule } from './ops/management/management.module.js';
import { MetricsModule } from './ops/metrics/metrics.module.js';
import { CredentialRateLimitGuard } from './ops/rate-limit/credential-rate-limit.guard.js';
import { RateLimitModule } from './ops/rate-limit/rate-limit.module.js';
import { TenantAdministrationModule } from './tenants/tenant-administration.module.js';
import { TenantsModule } from './tenants/tenants.module.js';
import { SessionsModule } from './sessions/sessions.module.js';
import { TokensModule } from './tokens/tokens.module.js';
import { UsersModule } from './users/users.module.js';

@Module({})
export class AppModule {
  /** The whole service for one validated configuration (the tests build one per suite), logging through `rootLogger`. */
  static forRoot(config: AppConfig, rootLogger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, skipProcessEnv: true, load: [() => config] }),
        LoggingModule.forRoot(rootLogger),
        DatabaseModule,
        AccessModule,
        RateLimitModule,
        TenantsModule,
        UsersModule,
        TokensModule,
        SessionsModule,
        AuthModule,
        AuditModule,
        TenantAdministrationModule.withAccounts(UsersModule),
        HealthModule,
        HousekeepingModule,
        MetricsModule.forRoot(config.metrics),
        ManagementModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        // Global guards, in this order: authenticate → tenant → role → scope → credential rate
        // limit (routes that state `rateLimited`), all before any guard a route adds itself.
        { provide: APP_GUARD, useExisting: JwtAuthGuard },
        { provide: APP_GUARD, useClass: TenantGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_GUARD, useClass: ScopesGuard },
        { provide: APP_GUARD, useClass: CredentialRateLimitGuard },
      ],
    };
  }
}
