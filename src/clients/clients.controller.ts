import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../access/decorators/authorization.decorators.js';
import { CurrentActor } from '../access/decorators/current-actor.decorator.js';
import { PageQueryDto } from '../common/dto/page-query.dto.js';
import type { Actor } from '../access/actor.js';
import { uuidOr404 } from '../common/http/uuid-or-404.pipe.js';
import { DomainError } from '../common/errors/domain.error.js';
import { ClientsService } from './clients.service.js';
import { ClientDto, ClientPageDto, CreatedClientDto } from './dto/client.dto.js';
import { CreateClientDto } from './dto/create-client.dto.js';

@ApiTags('tenant administration')
@Auth({ roles: ['admin'], scopes: ['clients:write'], tenantParameter: 'tenantId', apiClients: 'by-scopes' })
@Controller('tenants/:tenantId/clients')
export class ClientsController {
  constructor(private readonly clients: ClientsService) {}

  @Get()
  @ApiOperation({ summary: 'The tenant’s API clients' })
  @ApiOkResponse({ type: ClientPageDto })
  async list(@Param('tenantId', uuidOr404('Tenant')) tenantId: string, @Query() page: PageQueryDto): Promise<ClientPageDto> {
    const [clients, total] = await this.clients.list(tenantId, page.limit, page.offset);
    return { items: clients.map((client) => ClientDto.from(client)), total };
  }

  @Post()
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiOperation({ summary: 'Create an API client: a confidential one’s secret is shown this once; a public one has none' })
  @ApiCreatedResponse({ type: CreatedClientDto })
  async create(@Param('tenantId', uuidOr404('Tenant')) tenantId: string, @Body() body: CreateClientDto, @CurrentActor() actor: Actor): Promise<CreatedClientDto> {
    if (body.type === 'public' && body.scopes !== undefined) {
      throw new DomainError('validation_failed', 'Validation failed', { messages: ['scopes is for confidential clients only: a public client gets no token of its own'] });
    }
    const { client, secret } = await this.clients.create(tenantId, { name: body.name, type: body.type ?? 'confidential', scopes: body.scopes ?? [] }, actor);
    return { ...ClientDto.from(client), ...(secret !== undefined ? { clientSecret: secret } : {}) };
  }

  @Delete(':clientId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an API client; its tokens stop working at once' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: '`not_found`' })
  async remove(
    @Param('tenantId', uuidOr404('Tenant')) tenantId: string,
    @Param('clientId', uuidOr404('Client')) clientId: string,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.clients.remove(tenantId, clientId, actor);
  }
}
