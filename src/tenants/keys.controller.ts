import { Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Auth } from '../access/decorators/authorization.decorators.js';
import { CurrentActor } from '../access/decorators/current-actor.decorator.js';
import type { Actor } from '../access/actor.js';
import { SigningKeysService } from '../tokens/signing-keys.service.js';

class RotatedKeyDto {
  @ApiProperty({ description: 'The id (`kid`) of the new current signing key', example: '5f3c1d0e-6a2b-4f7e-9c8d-2b1a0e9f7c6d' })
  kid!: string;
}

/**
 * Signing-key rotation (superadmin only).
 *
 * API clients are judged by their scopes here too (`apiClients: 'by-scopes'`), as on every route
 * with roles: none may hold `tenants:*`, so a client is refused `insufficient_scope`, the answer
 * the contract's tests expect, never `insufficient_role`.
 */
@ApiTags('platform')
@Controller('keys')
export class KeysController {
  constructor(private readonly keys: SigningKeysService) {}

  @Post('rotate')
  @Auth({ roles: ['superadmin'], scopes: ['tenants:write'], apiClients: 'by-scopes' })
  @ApiOperation({ summary: 'Make a new signing key current; the old one verifies (and is published) until its tokens expire' })
  @ApiCreatedResponse({ type: RotatedKeyDto })
  @ApiConflictResponse({ description: 'Under HS256 there is no key to rotate (`conflict`)' })
  async rotate(@CurrentActor() actor: Actor): Promise<RotatedKeyDto> {
    return { kid: await this.keys.rotate(actor) };
  }
}
