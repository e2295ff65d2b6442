import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessTokenIssuer } from './access-token-issuer.service.js';
import { AccessTokenVerifier } from './access-token-verifier.service.js';
import { DiscoveryController } from './discovery.controller.js';
import { KeysController } from './keys.controller.js';
import { RefreshToken } from './refresh-token.entity.js';
import { Session } from './session.entity.js';
import { RefreshTokenRotation } from './refresh-token-rotation.service.js';
import { Revocation } from './revocation.entity.js';
import { RevocationService } from './revocation.service.js';
import { SessionsController } from './sessions.controller.js';
import { SessionsService } from './sessions.service.js';
import { SigningKey } from './signing-key.entity.js';
import { SigningKeysService } from './signing-keys.service.js';
import { TokenCleanupService } from './token-cleanup.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([SigningKey, Session, RefreshToken, Revocation])],
  controllers: [DiscoveryController, SessionsController, KeysController],
  providers: [
    SigningKeysService,
    AccessTokenIssuer,
    AccessTokenVerifier,
    SessionsService,
    RefreshTokenRotation,
    RevocationService,
    TokenCleanupService,
  ],
  exports: [AccessTokenIssuer, AccessTokenVerifier, SessionsService, RefreshTokenRotation, RevocationService],
})
export class TokensModule {}
