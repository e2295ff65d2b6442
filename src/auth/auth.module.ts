import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { ClientsModule } from '../clients/clients.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { UsersModule } from '../users/users.module.js';
import { AuthController } from './auth.controller.js';
import { ClientCredentialsGrant } from './client-credentials-grant.service.js';
import { CredentialsService } from './credentials.service.js';
import { OAuthController } from './oauth.controller.js';
import { PasswordChangeService } from './password-change.service.js';
import { RegistrationService } from './registration.service.js';
import { SignInService } from './sign-in.service.js';
import { SignOutService } from './sign-out.service.js';
import { TokenIntrospectionService } from './token-introspection.service.js';
import { TokenRefreshService } from './token-refresh.service.js';
import { TokenRevocationService } from './token-revocation.service.js';
import { LocalStrategy } from './strategies/local.strategy.js';

@Module({
  imports: [TenantsModule, UsersModule, TokensModule, SessionsModule, ClientsModule, AuditModule],
  controllers: [AuthController, OAuthController],
  providers: [
    CredentialsService,
    LocalStrategy,
    SignInService,
    TokenRefreshService,
    SignOutService,
    PasswordChangeService,
    TokenRevocationService,
    TokenIntrospectionService,
    ClientCredentialsGrant,
    RegistrationService,
  ],
})
export class AuthModule {}
