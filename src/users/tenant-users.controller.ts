import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Auth } from '../access/decorators/authorization.decorators.js';
import { CurrentActor } from '../access/decorators/current-actor.decorator.js';
import type { Actor } from '../access/actor.js';
import { uuidOr404 } from '../common/http/uuid-or-404.pipe.js';
import { CreateUserDto } from './dto/create-user.dto.js';
import { UpdateUserDto } from './dto/update-user.dto.js';
import { UserDto, UserPageDto } from './dto/user.dto.js';
import { UserSearchDto } from './dto/user-search.dto.js';
import { TenantUsersService } from './tenant-users.service.js';

@ApiTags('tenant administration')
@Controller('tenants/:tenantId/users')
export class TenantUsersController {
  constructor(private readonly users: TenantUsersService) {}

  @Get()
  @Auth({ roles: ['moderator', 'admin'], scopes: ['users:read'], tenantParameter: 'tenantId', apiClients: 'by-scopes' })
  @ApiOperation({ summary: 'List or search the tenant’s users' })
  @ApiOkResponse({ type: UserPageDto })
  async list(@Param('tenantId', uuidOr404('Tenant')) tenantId: string, @Query() query: UserSearchDto): Promise<UserPageDto> {
    const [users, total] = await this.users.search(tenantId, query.q, query.limit, query.offset);
    return { items: users.map((user) => UserDto.from(user)), total };
  }

  @Get(':userId')
  @Auth({ roles: ['moderator', 'admin'], scopes: ['users:read'], tenantParameter: 'tenantId', apiClients: 'by-scopes' })
  @ApiOperation({ summary: 'One user of the tenant' })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ description: '`not_found`' })
  async get(@Param('tenantId', uuidOr404('Tenant')) tenantId: string, @Param('userId', uuidOr404('User')) userId: string): Promise<UserDto> {
    return UserDto.from(await this.users.get(tenantId, userId));
  }

  @Post()
  @Auth({ roles: ['admin'], scopes: ['users:write'], tenantParameter: 'tenantId', apiClients: 'by-scopes' })
  @ApiOperation({ summary: 'Create a user with roles (only a superadmin grants superadmin)' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiConflictResponse({ description: '`email_taken`' })
  async create(
    @Param('tenantId', uuidOr404('Tenant')) tenantId: string,
    @Body() body: CreateUserDto,
    @CurrentActor() actor: Actor,
  ): Promise<UserDto> {
    return UserDto.from(await this.users.create(tenantId, body, actor));
  }

  @Patch(':userId')
  @Auth({ roles: ['admin'], scopes: ['users:write'], tenantParameter: 'tenantId', apiClients: 'by-scopes' })
  @ApiOperation({ summary: 'Change name, roles or active; role changes and disabling end the user’s sessions' })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ description: '`not_found`' })
  @ApiConflictResponse({ description: 'It would leave the tenant without an active admin (`conflict`)' })
  async update(
    @Param('tenantId', uuidOr404('Tenant')) tenantId: string,
    @Param('userId', uuidOr404('User')) userId: string,
    @Body() body: UpdateUserDto,
    @CurrentActor() actor: Actor,
  ): Promise<UserDto> {
    return UserDto.from(await this.users.update(tenantId, userId, body, actor));
  }

  @Delete(':userId')
  @HttpCode(204)
  @Auth({ roles: ['admin'], scopes: ['users:write'], tenantParameter: 'tenantId', apiClients: 'by-scopes' })
  @ApiOperation({ summary: 'Delete a user; their tokens stop working at once' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: '`not_found`' })
  @ApiConflictResponse({ description: 'It would leave the tenant without an active admin (`conflict`)' })
  async remove(
    @Param('tenantId', uuidOr404('Tenant')) tenantId: string,
    @Param('userId', uuidOr404('User')) userId: string,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.users.remove(tenantId, userId, actor);
  }

  @Post(':userId/revoke-sessions')
  @HttpCode(204)
  @Auth({ roles: ['admin'], scopes: ['users:write'], tenantParameter: 'tenantId', apiClients: 'by-scopes' })
  @ApiOperation({ summary: 'End every session of a user' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: '`not_found`' })
  async revokeSessions(
    @Param('tenantId', uuidOr404('Tenant')) tenantId: string,
    @Param('userId', uuidOr404('User')) userId: string,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.users.revokeSessions(tenantId, userId, actor);
  }

  @Post(':userId/unlock')
  @HttpCode(204)
  @Auth({ roles: ['admin'], scopes: ['users:write'], tenantParameter: 'tenantId', apiClients: 'by-scopes' })
  @ApiOperation({ summary: 'Lift every sign-in lock of the user, each address’s and the one against addresses it has not signed in from (and forget the failures counted towards them)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: '`not_found`' })
  async unlock(
    @Param('tenantId', uuidOr404('Tenant')) tenantId: string,
    @Param('userId', uuidOr404('User')) userId: string,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.users.unlock(tenantId, userId, actor);
  }
}
