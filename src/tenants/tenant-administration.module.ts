import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { KeysController } from './keys.controller.js';
import { TenantAdministrationService } from './tenant-administration.service.js';
import { TenantsController } from './tenants.controller.js';
import { TenantsModule } from './tenants.module.js';

/**
 * Platform administration (superadmin routes): tenants and their first admin, signing keys.
 * The accounts come from the module the application passes (`withAccounts(UsersModule)`),
 * which exports `TENANT_ACCOUNTS`: tenants/ names users/ nowhere.
 */
@Module({})
export class TenantAdministrationModule {
  static withAccounts(accounts: Type): DynamicModule {
    return {
      module: TenantAdministrationModule,
      imports: [accounts, TenantsModule, TokensModule, SessionsModule, AuditModule],
      controllers: [TenantsController, KeysController],
      providers: [TenantAdministrationService],
    };
  }
}
