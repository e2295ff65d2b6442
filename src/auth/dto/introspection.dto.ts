import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

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
