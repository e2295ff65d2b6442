import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../access/decorators/authorization.decorators.js';
import { CurrentActor } from '../access/decorators/current-actor.decorator.js';
import { PageQueryDto } from '../common/dto/page-query.dto.js';
import type { Actor } from '../access/actor.js';
import { TenantDto, TenantPageDto } from './dto/tenant.dto.js';
import { uuidOr404 } from '../common/http/uuid-or-404.pipe.js';
import { CreateTenantDto } from './dto/create-tenant.dto.js';
import { UpdateTenantDto } from './dto/update-tenant.dto.js';
import { TenantAdministrationService } from './tenant-administration.service.js';

/**
 * Platform administration of tenants (superadmin only).
 *
 * API clients are judged by their scopes here too (`apiClients: 'by-scopes'`), as on every route
 * with roles: none may hold `tenants:*`, so a client is refused `insufficient_scope`, the answer
 * the contract's tests expect, never `insufficient_role`.
 */
@ApiTags('platform')
@Controller('tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantAdministrationService) {}

  @Get()
  @Auth({ roles: ['superadmin'], scopes: ['tenants:read'], apiClients: 'by-scopes' })
  @ApiOperation({ summary: 'List tenants' })
  @ApiOkResponse({ type: TenantPageDto })
  async list(@Query() page: PageQueryDto): Promise<TenantPageDto> {
    const [tenants, total] = await this.tenants.list(page.limit, page.offset);
    return { items: tenants.map((tenant) => TenantDto.from(tenant)), total };
  }

  @Post()
  @Auth({ roles: ['superadmin'], scopes: ['tenants:write'], apiClients: 'by-scopes' })
  @ApiOperation({ summary: 'Create a tenant with its first admin' })
  @ApiCreatedResponse({ type: TenantDto })
  @ApiConflictResponse({ description: 'The slug is taken (`conflict`)' })
  async create(@Body() body: CreateTenantDto, @CurrentActor() actor: Actor): Promise<TenantDto> {
    return TenantDto.from(await this.tenants.create(body, actor));
  }

  @Patch(':tenantId')
  @Auth({ roles: ['superadmin'], scopes: ['tenants:write'], tenantParameter: 'tenantId', apiClients: 'by-scopes' })
  @ApiOperation({ summary: 'Rename, open or close self-signup, disable or enable a tenant' })
  @ApiOkResponse({ type: TenantDto })
  @ApiNotFoundResponse({ description: '`not_found`' })
  @ApiConflictResponse({ description: 'The tenant holds an active superadmin and cannot be disabled (`conflict`)' })
  async update(@Param('tenantId', uuidOr404('Tenant')) tenantId: string, @Body() body: UpdateTenantDto, @CurrentActor() actor: Actor): Promise<TenantDto> {
    return TenantDto.from(await this.tenants.update(tenantId, body, actor));
  }
}
