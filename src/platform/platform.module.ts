import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { UsersModule } from '../users/users.module.js';
import { TenantAdministrationService } from './tenant-administration.service.js';
import { TenantsController } from './tenants.controller.js';

/** Superadmin routes over all tenants. */
@Module({
  imports: [UsersModule, TokensModule, SessionsModule, AuditModule],
  controllers: [TenantsController],
  providers: [TenantAdministrationService],
})
export class PlatformModule {}
