import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { TENANT_ACCOUNTS } from '../tenants/tenant-accounts.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { BootstrapAdminService } from './bootstrap-admin.service.js';
import { ExpiredLoginAttemptsPurger } from './expired-login-attempts.purger.js';
import { LoginAttempt } from './login-attempt.entity.js';
import { LoginLockout } from './login-lockout.service.js';
import { PasswordHasher } from './password-hasher.service.js';
import { TenantUsersController } from './tenant-users.controller.js';
import { UserTenantAccounts } from './tenant-accounts.provider.js';
import { TenantUsersService } from './tenant-users.service.js';
import { User } from './user.entity.js';
import { UsersController } from './users.controller.js';
import { UserCache } from './user-cache.service.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([User, LoginAttempt]), TenantsModule, SessionsModule, AuditModule],
  controllers: [UsersController, TenantUsersController],
  providers: [
    UsersService,
    PasswordHasher,
    TenantUsersService,
    LoginLockout,
    UserCache,
    ExpiredLoginAttemptsPurger,
    BootstrapAdminService,
    { provide: TENANT_ACCOUNTS, useClass: UserTenantAccounts },
  ],
  exports: [UsersService, PasswordHasher, LoginLockout, TENANT_ACCOUNTS],
})
export class UsersModule {}
