import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString } from 'class-validator';
import { Optional } from '../../common/dto/optional.decorator.js';
import { Chars } from '../../common/dto/chars.decorator.js';

/** The `token` and `token_type_hint` parameters of revocation (RFC 7009) and introspection (RFC 7662). */
export class TokenParameterDto {
  @ApiProperty({ description: 'An access token or a refresh token', example: 'rt_V3gWq9yZp2LkXc8TnR4mHs7JdA1eBfUo6iQxGvNwKzY' })
  @IsString()
  @Chars(0, 8192)
  token!: string;

  @ApiPropertyOptional({ enum: ['access_token', 'refresh_token'], example: 'refresh_token' })
  @Optional()
  @IsIn(['access_token', 'refresh_token'])
  token_type_hint?: string;
}
