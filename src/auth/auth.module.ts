import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TenantsModule } from '../tenants/tenants.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { UsersModule } from '../users/users.module.js';
import { AuthController } from './auth.controller.js';
import { BootstrapAdminService } from './bootstrap-admin.service.js';
import { CredentialsService } from './credentials.service.js';
import { JwtAuthGuard } from './guards/jwt-auth.guard.js';
import { RegistrationService } from './registration.service.js';
import { SignInService } from './sign-in.service.js';
import { LocalStrategy } from './strategies/local.strategy.js';

@Module({
  imports: [PassportModule, TenantsModule, UsersModule, TokensModule],
  controllers: [AuthController],
  providers: [CredentialsService, LocalStrategy, SignInService, RegistrationService, BootstrapAdminService, JwtAuthGuard],
  exports: [JwtAuthGuard],
})
export class AuthModule {}
