import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { ExpiredSessionsPurger } from './expired-sessions.purger.js';
import { RefreshToken } from './refresh-token.entity.js';
import { RefreshTokenRotation } from './refresh-token-rotation.service.js';
import { Session } from './session.entity.js';
import { SessionsController } from './sessions.controller.js';
import { SessionsService } from './sessions.service.js';

/** Sessions and their refresh tokens: opening, rotation (with reuse detection), revocation, and the user's own session list. */
@Module({
  imports: [TypeOrmModule.forFeature([Session, RefreshToken]), TokensModule, AuditModule],
  controllers: [SessionsController],
  providers: [SessionsService, RefreshTokenRotation, ExpiredSessionsPurger],
  exports: [SessionsService, RefreshTokenRotation],
})
export class SessionsModule {}
