import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { LoginAttempt } from './login-attempt.entity.js';
import { LoginLockout } from './login-lockout.service.js';
import { PasswordHasher } from './password-hasher.service.js';
import { TenantUsersController } from './tenant-users.controller.js';
import { TenantUsersService } from './tenant-users.service.js';
import { User } from './user.entity.js';
import { UsersController } from './users.controller.js';
import { UserCache } from './user-cache.service.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([User, LoginAttempt]), TenantsModule, TokensModule, AuditModule],
  controllers: [UsersController, TenantUsersController],
  providers: [UsersService, PasswordHasher, TenantUsersService, LoginLockout, UserCache],
  exports: [UsersService, PasswordHasher, LoginLockout],
})
export class UsersModule {}
