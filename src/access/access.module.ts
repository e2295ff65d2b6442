import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Authenticator } from './authentication/authenticator.service.js';
import { JwtAuthGuard } from './guards/jwt-auth.guard.js';

/** The authenticator and the guard in front of it; the credential resolvers come from the feature modules. */
@Module({
  imports: [DiscoveryModule],
  providers: [Authenticator, JwtAuthGuard],
  exports: [JwtAuthGuard],
})
export class AccessModule {}
