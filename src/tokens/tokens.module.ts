import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessTokenIssuer } from './access-token-issuer.service.js';
import { AccessTokenVerifier } from './access-token-verifier.service.js';
import { DiscoveryController } from './discovery.controller.js';
import { RefreshToken } from './refresh-token.entity.js';
import { Session } from './session.entity.js';
import { SessionsService } from './sessions.service.js';
import { SigningKey } from './signing-key.entity.js';
import { SigningKeysService } from './signing-keys.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([SigningKey, Session, RefreshToken])],
  controllers: [DiscoveryController],
  providers: [SigningKeysService, AccessTokenIssuer, AccessTokenVerifier, SessionsService],
  exports: [AccessTokenIssuer, AccessTokenVerifier, SessionsService],
})
export class TokensModule {}
