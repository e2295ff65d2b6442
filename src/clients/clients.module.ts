import { ClientSecretResolver } from './client-secret.resolver.js';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { ApiClient } from './api-client.entity.js';
import { ClientAuthenticator } from './client-authenticator.service.js';
import { ClientsController } from './clients.controller.js';
import { ClientsService } from './clients.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([ApiClient]), TenantsModule, TokensModule, AuditModule],
  controllers: [ClientsController],
  providers: [ClientsService, ClientAuthenticator, ClientSecretResolver],
  exports: [ClientAuthenticator],
})
export class ClientsModule {}
