import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export class IntrospectionRequestDto {
  @ApiProperty({ description: 'An access token or a refresh token' })
  @IsString()
  @MaxLength(8192)
  token!: string;

  @ApiPropertyOptional({ enum: ['access_token', 'refresh_token'] })
  @IsOptional()
  @IsIn(['access_token', 'refresh_token'])
  token_type_hint?: string;
}

/** RFC 7662: `{ active: false }` alone, or the token's description. */
export class IntrospectionDto {
  @ApiProperty()
  active!: boolean;

  @ApiPropertyOptional()
  sub?: string;

  @ApiPropertyOptional({ description: 'Tenant id' })
  tid?: string;

  @ApiPropertyOptional()
  scope?: string;

  @ApiPropertyOptional()
  exp?: number;

  @ApiPropertyOptional()
  iat?: number;

  @ApiPropertyOptional()
  jti?: string;

  @ApiPropertyOptional({ enum: ['Bearer', 'refresh_token'] })
  token_type?: string;

  @ApiPropertyOptional({ description: 'For a client’s token' })
  client_id?: string;
}
