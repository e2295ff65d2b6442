import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtModule, type JwtModuleOptions } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import type { AppConfig } from '../config/app-config.js';
import { ACCESS_TOKEN_TYPE, accessTokenVerifyOptions } from './access-token-format.js';
import { AccessTokenAuthentication } from './access-token-authentication.service.js';
import { AccessTokenIssuer } from './access-token-issuer.service.js';
import { AccessTokenLifetime } from './access-token-lifetime.service.js';
import { AccessTokenVerifier } from './access-token-verifier.service.js';
import { BearerTokenResolver } from './bearer-token.resolver.js';
import { DiscoveryController } from './discovery.controller.js';
import { ExpiredTokensPurger } from './expired-tokens.purger.js';
import { JwtStrategy } from './jwt.strategy.js';
import { Revocation } from './revocation.entity.js';
import { RevocationService } from './revocation.service.js';
import { RevocationStore } from './revocation-store.js';
import { SigningKey } from './signing-key.entity.js';
import { SigningKeysService } from './signing-keys.service.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

/** `JwtService`'s options for access tokens; the key is the current signing key, passed per token. */
function jwtModuleOptions(config: ConfigService<AppConfig, true>): JwtModuleOptions {
  const jwt = config.get('jwt', { infer: true });
  return {
    signOptions: {
      algorithm: jwt.algorithm,
      header: { alg: jwt.algorithm, typ: ACCESS_TOKEN_TYPE },
      issuer: jwt.issuer,
      audience: jwt.audience,
      expiresIn: jwt.accessTokenTtlSeconds,
    },
    verifyOptions: accessTokenVerifyOptions(jwt),
  };
}

@Module({
  imports: [
    TypeOrmModule.forFeature([SigningKey, Revocation]),
    AuditModule,
    JwtModule.registerAsync({ inject: [ConfigService], useFactory: jwtModuleOptions }),
  ],
  controllers: [DiscoveryController],
  providers: [
    AccessTokenLifetime,
    SigningKeysService,
    AccessTokenIssuer,
    AccessTokenVerifier,
    JwtStrategy,
    VerifiedTokenCache,
    AccessTokenAuthentication,
    BearerTokenResolver,
    RevocationStore,
    RevocationService,
    ExpiredTokensPurger,
  ],
  exports: [AccessTokenIssuer, AccessTokenVerifier, AccessTokenLifetime, RevocationService, SigningKeysService],
})
export class TokensModule {}
