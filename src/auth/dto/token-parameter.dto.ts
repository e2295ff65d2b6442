import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { Optional } from '../../common/dto/optional.decorator.js';
import { Chars } from '../../common/dto/chars.decorator.js';
import { IgnoresUnknownFields } from '../../common/http/validation.js';
import { ClientAuthenticationDto } from './client-authentication.dto.js';

/**
 * The `token` and `token_type_hint` parameters of revocation (RFC 7009) and introspection (RFC
 * 7662), with the client's authentication; parameters it does not know are ignored.
 */
@IgnoresUnknownFields()
export class TokenParameterDto extends ClientAuthenticationDto {
  @ApiProperty({ description: 'An access token or a refresh token', example: 'rt_V3gWq9yZp2LkXc8TnR4mHs7JdA1eBfUo6iQxGvNwKzY' })
  @IsString()
  @Chars(0, 8192)
  token!: string;

  @ApiPropertyOptional({ description: '`access_token` or `refresh_token`; a hint only, any other is ignored', example: 'refresh_token' })
  @Optional()
  @IsString()
  @Chars(0, 64)
  token_type_hint?: string;
}
