import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../access/decorators/authorization.decorators.js';
import { CurrentPrincipal } from '../access/decorators/current-principal.decorator.js';
import { Origin } from '../common/decorators/origin.decorator.js';
import { DomainError } from '../common/errors/domain.error.js';
import type { Principal } from '../access/principal.js';
import type { RequestContext } from '../common/http/request-context.js';
import { UpdateProfileDto } from './dto/update-profile.dto.js';
import { UserDto } from './dto/user.dto.js';
import { UserCache } from './user-cache.service.js';
import { UsersService } from './users.service.js';

function ownUserId(principal: Principal): string {
  if (principal.kind !== 'user') throw new DomainError('not_found', 'This token belongs to an API client, not a user');
  return principal.userId;
}

@ApiTags('users')
@Auth({ scopes: ['profile'] })
@Controller('users/me')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly cache: UserCache,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ description: 'The token is not a user token, or the user is gone' })
  async me(@CurrentPrincipal() principal: Principal): Promise<Readonly<UserDto>> {
    const view = await this.cache.viewOf(ownUserId(principal));
    if (!view) throw new DomainError('not_found', 'User not found');
    return view;
  }

  @Patch()
  @ApiOperation({ summary: 'Change the signed-in user’s name (the only field one may change here)' })
  @ApiOkResponse({ type: UserDto })
  @ApiBadRequestResponse({ description: 'Any field other than `name` (`validation_failed`)' })
  async updateMe(@CurrentPrincipal() principal: Principal, @Body() body: UpdateProfileDto, @Origin() origin: RequestContext): Promise<UserDto> {
    const id = ownUserId(principal);
    const user = await this.users.rename(id, body.name, origin);
    this.cache.forget(id);
    return UserDto.from(user);
  }
}
