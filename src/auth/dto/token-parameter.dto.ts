import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/** The `token` and `token_type_hint` parameters of revocation (RFC 7009) and introspection (RFC 7662). */
export class TokenParameterDto {
  @ApiProperty({ description: 'An access token or a refresh token' })
  @IsString()
  @MaxLength(8192)
  token!: string;

  @ApiPropertyOptional({ enum: ['access_token', 'refresh_token'] })
  @IsOptional()
  @IsIn(['access_token', 'refresh_token'])
  token_type_hint?: string;
}
