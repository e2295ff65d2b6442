import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TenantsModule } from '../tenants/tenants.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { PasswordHasher } from './password-hasher.service.js';
import { TenantUsersController } from './tenant-users.controller.js';
import { TenantUsersService } from './tenant-users.service.js';
import { User } from './user.entity.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([User]), TenantsModule, TokensModule],
  controllers: [UsersController, TenantUsersController],
  providers: [UsersService, PasswordHasher, TenantUsersService],
  exports: [UsersService, PasswordHasher],
})
export class UsersModule {}
